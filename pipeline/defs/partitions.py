"""Batches of input files as dynamic partitions: the inbox sensor (or the CLI) adds one key per
batch of new or changed files; every per-document asset processes only its batch's documents."""

from dagster import DynamicPartitionsDefinition

from pipeline.defs.common import BATCHES

batches = DynamicPartitionsDefinition(name=BATCHES)
