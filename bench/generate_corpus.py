"""A deterministic synthetic corpus of wire reports about armed conflict and diplomacy, with the
truth of every planted fact written beside it.

    python bench/generate_corpus.py --docs 10000 --out /tmp/corpus [--seed 7]

Writes to ``--out``:

* ``NNNNNN_<hash>.txt``: one article per file (headline on the first line, then paragraphs,
  a dateline in the lead, quotes, background paragraphs; 200-600 words);
* ``manifest.csv``: ``file,published_date,outlet,url`` (the pipeline's manifest format);
The truth files live in ``--out/.truth/`` (ingest and the pipeline skip names starting with "."):

* ``.truth/truth.jsonl``: one object per document: ``doc_id``, ``file``, ``published_date``, ``outlet``,
  ``kind`` (original | second_report | copy), ``duplicate_of`` (doc_id of the document it copies,
  or null), ``dup_kind`` (exact | new_headline | ending_cut | quoted_in_longer | chrome_added),
  ``incidents`` (each planted incident it reports: ``incident_id``, ``date``, ``event_type``,
  ``acled_type``, ``location``, ``actor1``, ``actor2``, ``killed``/``killed_low``/``killed_high``,
  ``wounded``/..., ``disputed``, ``date_phrase``, ``quantity_form``) and ``not_counted`` (historical
  totals and aggregates over a period, which must never reach the daily table);
* ``.truth/truth_daily.csv``: the expected daily casualties table (``day,killed,wounded,incidents``):
  each planted casualty incident once, however many documents report it;
* ``.truth/corpus.json``: the parameters and counts (used by bench/run.py to reuse a corpus).

Conventions of the truth: ``killed`` is the best figure ("at least 12" -> 12; a range "between 10
and 15" -> the low figure, ACLED's conservative rule; vague quantities such as "dozens" -> null,
with ``killed_vague`` true). The daily table sums the best figures (null counts 0).

Everything comes from one ``random.Random(seed)``: the same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 3

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
             "Nov.", "Dec."]

OUTLETS = [
    ("Global Wire Service", "globalwire.example.com", "GWS"),
    ("The Daily Ledger", "dailyledger.example.org", None),
    ("Frontline Dispatch", "frontlinedispatch.example.net", None),
    ("Continental Press Agency", "cpa-news.example.com", "CPA"),
    ("The Evening Courier", "eveningcourier.example.co.uk", None),
    ("World Report Online", "worldreport.example.com", None),
    ("Meridian News", "meridiannews.example.com", None),
    ("The Observer Post", "observerpost.example.com", None),
    ("Atlas Newswire", "atlasnewswire.example.com", "Atlas"),
    ("Harbour Times", "harbourtimes.example.com", None),
    ("Pan-African Herald", "panafricanherald.example.com", None),
    ("Asia Pacific Bulletin", "apbulletin.example.com", None),
]

# ----------------------------------------------------------------------------- regions
# attacks: (noun phrase, perpetrator canonical, perpetrator phrase, victims 'civ'|'mil'|'mixed',
#           PLOVER type, ACLED type)


@dataclass
class Region:
    key: str
    country: str
    places: list          # (place, province or area)
    capital: str
    side_a: tuple         # (canonical, phrases...)
    side_b: tuple
    attacks: list
    sources: list         # who gives the figures
    officials: list       # (name, title) quoted
    war_start: str        # "February 2022"
    war_toll: tuple       # (low, high) for historical totals
    displaced: str
    venues: list          # talks venues
    mediators: list
    past_years: list      # years of historical attacks
    background: list      # sentences with {place}, {n}, {side_a}, {side_b}, {country}


REGIONS: list[Region] = [
    Region(
        "ukraine", "Ukraine",
        [("Kharkiv", "the Kharkiv region"), ("Zaporizhzhia", "the Zaporizhzhia region"),
         ("Kherson", "the Kherson region"), ("Odesa", "the Odesa region"), ("Dnipro", "the Dnipropetrovsk region"),
         ("Pokrovsk", "the Donetsk region"), ("Sumy", "the Sumy region"), ("Kramatorsk", "the Donetsk region"),
         ("Mykolaiv", "the Mykolaiv region"), ("Chernihiv", "the Chernihiv region")],
        "Kyiv",
        ("Russia", "Russian forces", "the Russian military", "Moscow"),
        ("Ukraine", "Ukrainian forces", "the Ukrainian army", "Kyiv"),
        [("a Russian missile strike", "Russia", "Russian forces", "civ", "FIGHT", "Explosions/Remote violence"),
         ("a Russian drone attack", "Russia", "Russian forces", "civ", "FIGHT", "Explosions/Remote violence"),
         ("Russian artillery shelling", "Russia", "Russian forces", "civ", "FIGHT", "Explosions/Remote violence"),
         ("a guided bomb attack", "Russia", "Russian forces", "mixed", "FIGHT", "Explosions/Remote violence"),
         ("heavy fighting near the front line", "Russia", "Russian forces", "mil", "FIGHT", "Battles")],
        ["the regional governor", "the regional military administration", "Ukraine's emergency service",
         "local officials", "the prosecutor general's office", "the city's mayor"],
        [("Oleh Syniehubov", "the governor of the Kharkiv region"), ("Ivan Fedorov", "head of the regional military administration"),
         ("Andriy Kovalenko", "a spokesman for the Ukrainian army"), ("Dmitry Peskov", "the Kremlin spokesman"),
         ("Maria Zakharova", "the Russian foreign ministry spokeswoman")],
        "February 2022", (10000, 12500), "more than 6 million people have fled the country",
        ["Istanbul", "Geneva", "Riyadh", "Jeddah", "Ankara"],
        ["Turkey", "Saudi Arabia", "the United Nations", "the Vatican"],
        [2014, 2015, 2022, 2023],
        ["Power outages have become routine in {place} after repeated attacks on the energy grid.",
         "Schools in {province} have moved classes underground or online.",
         "Volunteers in {place} said they had distributed {n} food parcels this week.",
         "Air raid sirens sounded across much of the country for several hours."]),
    Region(
        "sudan", "Sudan",
        [("El Fasher", "North Darfur"), ("Omdurman", "Khartoum state"), ("Khartoum", "Khartoum state"),
         ("Nyala", "South Darfur"), ("Wad Madani", "Gezira state"), ("El Obeid", "North Kordofan"),
         ("Kadugli", "South Kordofan"), ("Sennar", "Sennar state")],
        "Port Sudan",
        ("Rapid Support Forces", "the Rapid Support Forces", "the RSF", "the paramilitary RSF"),
        ("Sudanese Armed Forces", "the Sudanese army", "the army", "army troops"),
        [("an RSF drone strike", "Rapid Support Forces", "the RSF", "civ", "FIGHT", "Explosions/Remote violence"),
         ("shelling by the Rapid Support Forces", "Rapid Support Forces", "the RSF", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an army air strike", "Sudanese Armed Forces", "the army", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an attack by RSF fighters on a village", "Rapid Support Forces", "RSF fighters", "civ", "ASSAULT", "Violence against civilians"),
         ("clashes between the army and the RSF", "Sudanese Armed Forces", "the army", "mil", "FIGHT", "Battles")],
        ["the Sudan Doctors Network", "a local resistance committee", "the state health ministry",
         "medical sources", "a local emergency response room"],
        [("Nabil Abdallah", "an army spokesman"), ("Mohamed Hamdan Dagalo", "the RSF commander"),
         ("Clementine Nkweta-Salami", "the UN humanitarian coordinator for Sudan"),
         ("Adam Rojal", "a spokesman for displaced people in Darfur")],
        "April 2023", (20000, 150000), "more than 12 million people have been driven from their homes",
        ["Jeddah", "Geneva", "Cairo", "Manama", "Addis Ababa"],
        ["Saudi Arabia", "the United States", "Egypt", "the African Union"],
        [2003, 2004, 2019, 2023],
        ["The famine review committee has warned that {n} people in {province} face catastrophic hunger.",
         "Aid convoys to {place} have been blocked for weeks, aid agencies say.",
         "Telecommunications in much of {province} have been cut since the start of the month.",
         "Hospitals in {place} are running short of fuel, oxygen and blood supplies."]),
    Region(
        "sahel", "Mali",
        [("Djibo", "northern Burkina Faso"), ("Mopti", "central Mali"), ("Gao", "northern Mali"),
         ("Timbuktu", "northern Mali"), ("Tillaberi", "western Niger"), ("Menaka", "eastern Mali"),
         ("Ouahigouya", "northern Burkina Faso"), ("Kidal", "northern Mali")],
        "Bamako",
        ("JNIM", "JNIM fighters", "the al Qaeda-linked JNIM", "jihadists"),
        ("Malian Armed Forces", "the Malian army", "Malian troops", "soldiers"),
        [("an attack by JNIM fighters", "JNIM", "JNIM fighters", "mixed", "ASSAULT", "Violence against civilians"),
         ("an ambush on a military convoy", "JNIM", "jihadist fighters", "mil", "FIGHT", "Battles"),
         ("a drone strike by the Malian army", "Malian Armed Forces", "the army", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an Islamic State Sahel Province raid", "Islamic State Sahel Province", "Islamic State fighters", "civ", "ASSAULT", "Violence against civilians"),
         ("a roadside bomb", "JNIM", "suspected jihadists", "mil", "ASSAULT", "Explosions/Remote violence")],
        ["local officials", "a local elected official", "security sources", "residents", "a humanitarian source"],
        [("Souleymane Dembele", "a Malian army spokesman"), ("Abdoulaye Maiga", "the government spokesman"),
         ("Aminata Traore", "a local community leader")],
        "2012", (15000, 30000), "more than 3 million people have been displaced across the Sahel",
        ["Algiers", "Niamey", "Lome", "Doha"],
        ["Algeria", "Togo", "ECOWAS", "the African Union"],
        [2012, 2015, 2019, 2021],
        ["Roads between {place} and the rest of {province} are mined and rarely used.",
         "The junta expelled French troops and turned to Russian military instructors.",
         "Markets in {place} have been closed for {n} days because of the blockade.",
         "Many schools in the area have been shut for more than a year."]),
    Region(
        "gaza", "Palestine",
        [("Khan Younis", "southern Gaza"), ("Rafah", "southern Gaza"), ("Gaza City", "northern Gaza"),
         ("Jabalia", "northern Gaza"), ("Deir al-Balah", "central Gaza"), ("Nuseirat", "central Gaza"),
         ("Beit Lahiya", "northern Gaza")],
        "Jerusalem",
        ("Israel", "Israeli forces", "the Israeli military", "the IDF"),
        ("Hamas", "Hamas", "Hamas militants", "the armed wing of Hamas"),
        [("an Israeli air strike", "Israel", "the Israeli military", "civ", "FIGHT", "Explosions/Remote violence"),
         ("Israeli tank fire", "Israel", "Israeli forces", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an Israeli strike on a school sheltering displaced families", "Israel", "the Israeli military", "civ", "FIGHT", "Explosions/Remote violence"),
         ("fighting between Israeli troops and Hamas militants", "Israel", "Israeli troops", "mil", "FIGHT", "Battles")],
        ["the Gaza health ministry", "civil defence officials", "medics", "hospital officials",
         "the Palestinian Red Crescent"],
        [("Mahmoud Basal", "a civil defence spokesman"), ("Avichay Adraee", "an Israeli military spokesman"),
         ("Philippe Lazzarini", "the head of the UN agency for Palestinian refugees")],
        "October 2023", (40000, 60000), "nearly all of the territory's 2.3 million people have been displaced",
        ["Doha", "Cairo", "Paris"],
        ["Qatar", "Egypt", "the United States"],
        [2008, 2014, 2021],
        ["Aid agencies say only {n} trucks entered the territory this week.",
         "Most hospitals in {province} are no longer functioning, according to the World Health Organization.",
         "Families in {place} are sheltering in tents along the coast.",
         "Fuel shortages have halted water desalination plants."]),
    Region(
        "myanmar", "Myanmar",
        [("Lashio", "the northern Shan state"), ("Myawaddy", "Kayin state"), ("Sittwe", "Rakhine state"),
         ("Sagaing", "the Sagaing region"), ("Mandalay", "the Mandalay region"), ("Bhamo", "Kachin state"),
         ("Loikaw", "Kayah state"), ("Hpakant", "Kachin state")],
        "Naypyitaw",
        ("Myanmar military", "the military", "junta troops", "the Tatmadaw"),
        ("Arakan Army", "the Arakan Army", "resistance forces", "the People's Defence Force"),
        [("a military air strike", "Myanmar military", "the military", "civ", "FIGHT", "Explosions/Remote violence"),
         ("junta artillery fire", "Myanmar military", "junta troops", "civ", "FIGHT", "Explosions/Remote violence"),
         ("a bombing raid on a monastery", "Myanmar military", "the military", "civ", "FIGHT", "Explosions/Remote violence"),
         ("fighting between the army and the Arakan Army", "Myanmar military", "the military", "mil", "FIGHT", "Battles")],
        ["local residents", "a rescue worker", "the National Unity Government", "an aid worker",
         "the resistance group's spokesperson"],
        [("Zaw Min Tun", "the junta spokesman"), ("Khine Thu Kha", "an Arakan Army spokesman"),
         ("Kyaw Zaw", "a spokesman for the shadow government")],
        "February 2021", (5000, 8000), "more than 3 million people are displaced inside the country",
        ["Kunming", "Bangkok", "Jakarta"],
        ["China", "ASEAN", "Thailand"],
        [2017, 2021, 2022],
        ["Internet access in {province} has been cut for months.",
         "Residents of {place} say they hear aircraft almost every night.",
         "Rice prices in {place} have risen by {n} percent since the start of the year.",
         "Thousands have crossed the border in search of safety."]),
    Region(
        "drc", "Democratic Republic of the Congo",
        [("Goma", "North Kivu"), ("Bukavu", "South Kivu"), ("Rutshuru", "North Kivu"), ("Beni", "North Kivu"),
         ("Bunia", "Ituri province"), ("Sake", "North Kivu"), ("Masisi", "North Kivu"), ("Uvira", "South Kivu")],
        "Kinshasa",
        ("M23", "M23 rebels", "the M23", "the Rwanda-backed M23"),
        ("Armed Forces of the Democratic Republic of the Congo", "the Congolese army", "FARDC troops", "government forces"),
        [("an attack by M23 rebels", "M23", "M23 rebels", "mixed", "FIGHT", "Battles"),
         ("a bomb strike on a displacement camp", "M23", "M23 rebels", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an ADF raid on a village", "Allied Democratic Forces", "ADF fighters", "civ", "ASSAULT", "Violence against civilians"),
         ("a CODECO militia attack", "CODECO", "CODECO militiamen", "civ", "ASSAULT", "Violence against civilians")],
        ["local civil society leaders", "the provincial governor's office", "a hospital director",
         "the UN peacekeeping mission", "a local administrator"],
        [("Sylvain Ekenge", "the army spokesman"), ("Lawrence Kanyuka", "the M23 spokesman"),
         ("Bintou Keita", "the head of the UN mission")],
        "2021", (6000, 10000), "more than 7 million people are displaced in the country",
        ["Luanda", "Nairobi", "Doha", "Washington"],
        ["Angola", "Kenya", "Qatar", "the United States"],
        [1994, 2012, 2022],
        ["Camps around {place} are overcrowded and short of clean water.",
         "Mining towns in {province} change hands frequently.",
         "Cholera cases in {place} have risen to {n} this month, health workers say.",
         "The road to {place} has been cut for weeks."]),
    Region(
        "yemen", "Yemen",
        [("Marib", "the Marib governorate"), ("Taiz", "the Taiz governorate"), ("Hodeidah", "the Hodeidah governorate"),
         ("Saada", "the Saada governorate"), ("Sanaa", "the Sanaa governorate"), ("Aden", "the Aden governorate"),
         ("Dhale", "the Dhale governorate")],
        "Sanaa",
        ("Houthis", "the Houthis", "Houthi fighters", "the Iran-aligned Houthi movement"),
        ("Yemeni government", "government forces", "pro-government troops", "the internationally recognised government"),
        [("a Houthi drone attack", "Houthis", "the Houthis", "civ", "FIGHT", "Explosions/Remote violence"),
         ("Houthi shelling", "Houthis", "the Houthis", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an air strike", "Saudi-led coalition", "the Saudi-led coalition", "civ", "FIGHT", "Explosions/Remote violence"),
         ("clashes on the front line", "Houthis", "Houthi fighters", "mil", "FIGHT", "Battles"),
         ("a landmine blast", "Houthis", "the Houthis", "civ", "ASSAULT", "Explosions/Remote violence")],
        ["medical sources", "a government military official", "local authorities", "the health office"],
        [("Yahya Saree", "the Houthi military spokesman"), ("Hans Grundberg", "the UN special envoy for Yemen"),
         ("Abdo Majali", "a government military spokesman")],
        "2014", (150000, 377000), "more than 4 million people remain displaced",
        ["Muscat", "Riyadh", "Stockholm", "Geneva"],
        ["Oman", "Saudi Arabia", "the United Nations"],
        [2015, 2016, 2018],
        ["Fuel imports through {place} have fallen sharply this year.",
         "The currency has lost {n} percent of its value in government-held areas.",
         "Landmines remain scattered across farmland in {province}.",
         "Salaries of public employees have gone unpaid for months."]),
    Region(
        "colombia", "Colombia",
        [("Catatumbo", "Norte de Santander"), ("Cucuta", "Norte de Santander"), ("Arauca", "the Arauca department"),
         ("Jamundi", "Valle del Cauca"), ("Suarez", "the Cauca department"), ("Tibu", "Norte de Santander"),
         ("Argelia", "the Cauca department")],
        "Bogota",
        ("National Liberation Army", "ELN guerrillas", "the ELN", "the National Liberation Army"),
        ("Colombian army", "the army", "soldiers", "security forces"),
        [("an ELN attack", "National Liberation Army", "the ELN", "mil", "FIGHT", "Battles"),
         ("a car bomb outside a police station", "Central General Staff", "FARC dissidents", "mixed", "ASSAULT", "Explosions/Remote violence"),
         ("a drone attack on a military base", "Central General Staff", "FARC dissidents", "mil", "FIGHT", "Explosions/Remote violence"),
         ("fighting between the ELN and FARC dissidents", "National Liberation Army", "ELN guerrillas", "mixed", "FIGHT", "Battles")],
        ["the ombudsman's office", "the defence ministry", "the regional governor", "the local mayor's office"],
        [("Ivan Velasquez", "the defence minister"), ("Antonio Garcia", "the ELN commander"),
         ("Carlos Camargo", "the ombudsman")],
        "the 1960s", (200000, 450000), "tens of thousands have fled the region this year",
        ["Havana", "Caracas", "Mexico City"],
        ["Cuba", "Norway", "Venezuela"],
        [1999, 2002, 2019],
        ["Coca crops cover much of the hills around {place}.",
         "Peace talks with the rebels have been suspended several times.",
         "Local shelters in {place} are hosting {n} displaced families.",
         "The border crossing near {place} was closed for the day."]),
    Region(
        "somalia", "Somalia",
        [("Mogadishu", "the Banadir region"), ("Baidoa", "the Bay region"), ("Beledweyne", "the Hiraan region"),
         ("Kismayo", "Lower Juba"), ("Bosaso", "Puntland"), ("Afgooye", "Lower Shabelle")],
        "Mogadishu",
        ("al-Shabaab", "al-Shabaab militants", "al-Shabaab", "the al Qaeda-linked al-Shabaab"),
        ("Somali National Army", "Somali troops", "government soldiers", "the Somali army"),
        [("an al-Shabaab suicide bombing", "al-Shabaab", "al-Shabaab", "civ", "ASSAULT", "Explosions/Remote violence"),
         ("a car bomb blast", "al-Shabaab", "al-Shabaab", "civ", "ASSAULT", "Explosions/Remote violence"),
         ("an al-Shabaab attack on an army base", "al-Shabaab", "al-Shabaab fighters", "mil", "FIGHT", "Battles"),
         ("a mortar attack", "al-Shabaab", "al-Shabaab", "civ", "FIGHT", "Explosions/Remote violence")],
        ["police", "a police officer", "the ambulance service", "witnesses", "security officials"],
        [("Abdifatah Aden Hassan", "a police spokesman"), ("Abdirahman Omar", "the information minister")],
        "2006", (20000, 40000), "about 3.5 million people are displaced by conflict and drought",
        ["Ankara", "Nairobi", "Djibouti"],
        ["Turkey", "the African Union", "Qatar"],
        [2017, 2019, 2022],
        ["Security has been tightened around hotels in {place}.",
         "The drought has pushed {n} families into camps around {place}.",
         "African Union troops are gradually handing over bases to Somali forces.",
         "Checkpoints slow traffic into the capital."]),
    Region(
        "nigeria", "Nigeria",
        [("Maiduguri", "Borno state"), ("Bama", "Borno state"), ("Gwoza", "Borno state"),
         ("Gusau", "Zamfara state"), ("Kaduna", "Kaduna state"), ("Bokkos", "Plateau state"),
         ("Damboa", "Borno state")],
        "Abuja",
        ("Boko Haram", "Boko Haram fighters", "Boko Haram", "jihadists"),
        ("Nigerian Army", "the Nigerian army", "troops", "soldiers"),
        [("a Boko Haram attack on a village", "Boko Haram", "Boko Haram fighters", "civ", "ASSAULT", "Violence against civilians"),
         ("a bandit raid", "Bandits", "armed bandits", "civ", "ASSAULT", "Violence against civilians"),
         ("an ISWAP attack on a military base", "Islamic State West Africa Province", "ISWAP fighters", "mil", "FIGHT", "Battles"),
         ("suicide bombings at a market", "Boko Haram", "Boko Haram", "civ", "ASSAULT", "Explosions/Remote violence")],
        ["a local government chairman", "police", "residents", "an anti-jihadist militia leader",
         "the state emergency management agency"],
        [("Nahum Kenneth Daso", "a police spokesman"), ("Babagana Zulum", "the Borno state governor")],
        "2009", (35000, 40000), "about 2 million people remain displaced in the northeast",
        ["Abuja", "Niamey"],
        ["Niger", "Chad", "the African Union"],
        [2014, 2015, 2020],
        ["Farmers around {place} say they cannot reach their fields.",
         "Kidnappings for ransom have risen across {province}.",
         "The state government imposed a curfew on {place} for {n} hours.",
         "Vigilante groups patrol the roads at night."]),
    Region(
        "haiti", "Haiti",
        [("Port-au-Prince", "the capital"), ("Petion-Ville", "the capital's hills"), ("Cite Soleil", "the capital"),
         ("Mirebalais", "the Centre department"), ("Arcahaie", "the Ouest department"), ("Pont-Sonde", "the Artibonite department")],
        "Port-au-Prince",
        ("Viv Ansanm", "gangs", "the Viv Ansanm gang coalition", "armed gangs"),
        ("Haitian National Police", "police", "police officers", "the national police"),
        [("a gang attack", "Viv Ansanm", "gang members", "civ", "ASSAULT", "Violence against civilians"),
         ("a gun attack on a neighbourhood", "Viv Ansanm", "gunmen", "civ", "ASSAULT", "Violence against civilians"),
         ("clashes between police and gangs", "Haitian National Police", "police", "mixed", "FIGHT", "Battles")],
        ["the UN human rights office", "a local human rights group", "police", "residents"],
        [("Garry Conille", "the prime minister"), ("Jimmy Cherizier", "the gang leader known as Barbecue")],
        "2021", (5000, 10000), "more than 1 million people have fled their homes",
        ["Kingston", "Nairobi", "Washington"],
        ["Kenya", "CARICOM", "the United States"],
        [2010, 2021],
        ["The main airport in {place} has closed several times this year.",
         "Gangs control most roads leading out of the capital.",
         "Hospitals in {place} have treated {n} gunshot victims this month.",
         "Schools in the area remain closed."]),
    Region(
        "ethiopia", "Ethiopia",
        [("Bahir Dar", "the Amhara region"), ("Gondar", "the Amhara region"), ("Debre Markos", "the Amhara region"),
         ("Mekele", "the Tigray region"), ("Dessie", "the Amhara region"), ("Nekemte", "the Oromia region")],
        "Addis Ababa",
        ("Ethiopian National Defense Force", "federal forces", "government troops", "the federal army"),
        ("Fano", "Fano militiamen", "the Fano militia", "Fano fighters"),
        [("a drone strike", "Ethiopian National Defense Force", "the army", "civ", "FIGHT", "Explosions/Remote violence"),
         ("fighting between federal forces and Fano militiamen", "Ethiopian National Defense Force", "federal forces", "mixed", "FIGHT", "Battles"),
         ("an attack on a bus", "Fano", "Fano militiamen", "civ", "ASSAULT", "Violence against civilians")],
        ["residents", "a health worker", "a local official", "the regional administration"],
        [("Legesse Tulu", "the government spokesman"), ("Getachew Reda", "a Tigrayan leader")],
        "August 2023", (5000, 10000), "hundreds of thousands have been displaced in the region",
        ["Pretoria", "Nairobi", "Addis Ababa"],
        ["the African Union", "Kenya", "South Africa"],
        [2020, 2021],
        ["Internet access has been cut in much of {province}.",
         "Travel between {place} and the capital has become dangerous.",
         "Prices of fuel in {place} have doubled, traders say.",
         "A state of emergency remains in force."]),
    Region(
        "syria", "Syria",
        [("Idlib", "northwest Syria"), ("Aleppo", "northern Syria"), ("Deir ez-Zor", "eastern Syria"),
         ("Raqqa", "northern Syria"), ("Daraa", "southern Syria"), ("Manbij", "northern Syria")],
        "Damascus",
        ("Syrian government", "government forces", "Syrian troops", "the Syrian army"),
        ("Syrian Democratic Forces", "the Kurdish-led SDF", "SDF fighters", "the Syrian Democratic Forces"),
        [("an air strike", "Syrian government", "government aircraft", "civ", "FIGHT", "Explosions/Remote violence"),
         ("clashes between Turkish-backed factions and the SDF", "Syrian National Army", "Turkish-backed factions", "mil", "FIGHT", "Battles"),
         ("a car bomb", "Islamic State", "Islamic State militants", "civ", "ASSAULT", "Explosions/Remote violence"),
         ("shelling", "Syrian government", "government forces", "civ", "FIGHT", "Explosions/Remote violence")],
        ["the Syrian Observatory for Human Rights", "the White Helmets rescue service", "local medics",
         "state media"],
        [("Rami Abdel Rahman", "head of the Syrian Observatory"), ("Farhad Shami", "an SDF spokesman")],
        "2011", (300000, 500000), "about half of the pre-war population has been displaced",
        ["Astana", "Geneva", "Amman"],
        ["Russia", "Turkey", "the United Nations"],
        [2013, 2016, 2018],
        ["Reconstruction in {place} has barely begun.",
         "Electricity is available for only a few hours a day in {place}.",
         "The UN says {n} aid trucks crossed from Turkey this month.",
         "Sanctions and a collapsing currency have deepened poverty."]),
    Region(
        "lebanon", "Lebanon",
        [("Nabatieh", "southern Lebanon"), ("Tyre", "southern Lebanon"), ("Baalbek", "the Bekaa valley"),
         ("Bint Jbeil", "southern Lebanon"), ("Marjayoun", "southern Lebanon")],
        "Beirut",
        ("Israel", "Israeli forces", "the Israeli military", "Israeli warplanes"),
        ("Hezbollah", "Hezbollah", "Hezbollah fighters", "the Iran-backed Hezbollah"),
        [("an Israeli air strike", "Israel", "the Israeli military", "civ", "FIGHT", "Explosions/Remote violence"),
         ("an Israeli drone strike on a car", "Israel", "the Israeli military", "mixed", "FIGHT", "Explosions/Remote violence"),
         ("Hezbollah rocket fire", "Hezbollah", "Hezbollah", "civ", "FIGHT", "Explosions/Remote violence")],
        ["the Lebanese health ministry", "the state news agency", "civil defence workers", "a security source"],
        [("Firass Abiad", "the health minister"), ("Najib Mikati", "the caretaker prime minister")],
        "October 2023", (3000, 4000), "more than 1 million people were displaced at the height of the fighting",
        ["Beirut", "Paris", "Washington"],
        ["the United States", "France", "Qatar"],
        [2006],
        ["Border villages around {place} are largely empty.",
         "Schools in {place} are hosting displaced families.",
         "UN peacekeepers say they recorded {n} projectiles in a single day.",
         "The economy has been in crisis since 2019."]),
    Region(
        "pakistan", "Pakistan",
        [("Bannu", "Khyber Pakhtunkhwa"), ("Dera Ismail Khan", "Khyber Pakhtunkhwa"), ("Quetta", "Balochistan"),
         ("Peshawar", "Khyber Pakhtunkhwa"), ("Turbat", "Balochistan"), ("Kurram", "Khyber Pakhtunkhwa")],
        "Islamabad",
        ("Tehrik-i-Taliban Pakistan", "the Pakistani Taliban", "TTP militants", "militants"),
        ("Pakistan Army", "security forces", "soldiers", "the army"),
        [("a suicide bombing", "Tehrik-i-Taliban Pakistan", "the Pakistani Taliban", "mixed", "ASSAULT", "Explosions/Remote violence"),
         ("a militant attack on a police checkpoint", "Tehrik-i-Taliban Pakistan", "militants", "mil", "FIGHT", "Battles"),
         ("a bomb attack on a passenger train", "Balochistan Liberation Army", "separatists", "civ", "ASSAULT", "Explosions/Remote violence")],
        ["police", "the military's media wing", "a district official", "hospital officials"],
        [("Muhammad Ali", "a police official"), ("Mohsin Naqvi", "the interior minister")],
        "2007", (20000, 80000), "thousands of families have left the tribal districts",
        ["Islamabad", "Kabul", "Doha"],
        ["China", "Qatar", "Afghanistan"],
        [2009, 2014, 2023],
        ["Security was tightened across {place} after the attack.",
         "Mobile phone service was suspended in {place} for {n} hours.",
         "Militant attacks have risen since 2021, officials say.",
         "Schools in the district closed for the rest of the week."]),
]

CIV_NOUNS = ["civilians", "people", "residents", "villagers", "people, including children,"]
MIL_NOUNS = ["soldiers", "fighters", "troops", "servicemen"]
MIXED_NOUNS = ["people", "people, including soldiers and civilians,"]

NUM_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
             "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen", "twenty"]
TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
        80: "eighty", 90: "ninety"}

CHROME_LINES = ["Advertisement", "Share this article", "Share on Facebook Share on X Copy link",
                "Sign up for our daily newsletter", "Read more:", "3 min read", "Listen to this article",
                "Skip to main content", "All rights reserved.", "Follow us on social media",
                "Most read", "Related topics"]

# Context sentences shared by all regions ({slots} filled per document). A document draws
# without replacement, so no sentence repeats inside one article, and two articles share few.
BANK = [
    "{Source} said the figures could rise as more bodies were recovered.",
    "The area around {place} has seen repeated fighting in recent weeks.",
    "Humanitarian groups said they were unable to reach parts of {province}.",
    "It was not possible to independently verify the accounts from {place}.",
    "Officials in {capital} did not respond to requests for comment.",
    "Residents of {place} described a night of explosions that shook windows across the town.",
    "Shops in the centre of {place} stayed closed for a second day as families buried their dead.",
    "The local hospital in {place} said it had run out of beds and was treating patients on the floor.",
    "A doctor at the main clinic said staff had been working {n}-hour shifts for weeks.",
    "Many families in {place} have already fled to relatives in other parts of {country}.",
    "Prices of bread and fuel in {place} have risen sharply since the start of the month.",
    "Electricity and water supplies to {place} were cut after the attack, residents said.",
    "The road linking {place} to {capital} has been closed to civilian traffic.",
    "A local journalist said dozens of homes had been damaged in the neighbourhood.",
    "Aid workers said they had distributed blankets and food to about {n} families in {place}.",
    "Several international organisations have suspended operations in {province}.",
    "Satellite images reviewed by researchers showed fresh damage to buildings near {place}.",
    "The government in {capital} has repeatedly promised to restore security in {province}.",
    "Schools in {place} closed early and parents were told to keep children at home.",
    "Local radio stations broadcast appeals for blood donors throughout the {weekday}.",
    "Mobile networks in parts of {province} were down for several hours.",
    "The United Nations has warned that the humanitarian situation in {country} is deteriorating.",
    "Many of the displaced are living in schools, mosques, churches and unfinished buildings.",
    "Farmers near {place} said they had been unable to harvest their crops this season.",
    "The {weekday} funeral drew hundreds of mourners despite fears of further attacks.",
    "Fighting has intensified across {province} since the collapse of the last truce.",
    "Human rights monitors have documented a sharp rise in attacks on civilian infrastructure.",
    "Journalists need special permission to enter {province}, limiting independent reporting.",
    "A curfew was imposed on {place} from dusk until dawn.",
    "The attack came days after officials said the situation in {place} had stabilised.",
    "Security analysts say both sides have increasingly relied on drones in recent months.",
    "{Side_a} and {side_b} blame each other for the failure of earlier ceasefires.",
    "The nearest functioning hospital is a {n}-kilometre drive from {place} on damaged roads.",
    "Local authorities opened {n} temporary shelters in schools and public buildings.",
    "Video footage verified by reporters showed smoke rising over the eastern part of {place}.",
    "The World Food Programme said it needed more funding to keep feeding people in {country}.",
    "An official from the regional administration said rescue teams were still clearing debris.",
    "Traders in {place} said the market had been hit twice in the past year.",
    "Diplomats in {capital} said pressure was growing for a new round of negotiations.",
    "Neighbouring countries have tightened border controls as refugees arrive.",
    "International donors pledged new funds at a conference earlier this year, but much has not arrived.",
    "Residents said they now sleep in basements and corridors away from windows.",
    "The health ministry said medicine stocks in {province} would last only a few more weeks.",
    "Local volunteers set up a kitchen near {place} to feed those who had lost their homes.",
    "Witnesses said ambulances struggled to reach the scene because of debris on the roads.",
    "The UN refugee agency said it was preparing for a new wave of displacement from {province}.",
    "The {org} said it was alarmed by the rising number of civilian casualties.",
    "Officials said an investigation had been opened into the circumstances of the attack.",
    "Power cuts have forced bakeries in {place} to reduce production.",
    "Community leaders in {place} appealed for calm after the attack.",
    "{Side_b} have lost ground around {place} in recent weeks, according to military analysts.",
    "{Side_a} said in a statement that its forces had hit only legitimate military targets.",
    "Thousands of people have sought shelter in camps on the outskirts of {place}.",
    "The {org} urged all parties to respect international humanitarian law.",
    "Residents said the sound of artillery could be heard from {place} late into the night.",
    "The authorities declared {n} days of mourning.",
    "Aid convoys bound for {province} have been repeatedly delayed at checkpoints.",
    "Much of the old town of {place} was already damaged in earlier fighting.",
    "Teachers in {place} said fewer than half of their pupils were still attending classes.",
    "Families said they were still searching for relatives missing since the attack.",
]
ORGS = ["International Committee of the Red Cross", "UN human rights office", "World Health Organization",
        "Norwegian Refugee Council", "UN children's agency UNICEF", "International Rescue Committee",
        "African Union Commission", "European Union's foreign policy chief"]
QUOTES = [
    "We are doing everything we can to reach the injured, but the roads are dangerous",
    "This was a deliberate attack on people who had nowhere else to go",
    "Our teams worked through the night to pull survivors from the rubble",
    "The situation remains very tense and we expect more attacks",
    "Those responsible will be held to account",
    "We call on the international community to act before it is too late",
    "The other side is spreading lies to cover up its own failures",
    "Our forces responded in line with the rules of engagement",
    "People are exhausted, they have been running from one place to another for months",
    "There is no safe place left in the city",
    "We need a ceasefire now, not more statements",
    "The hospital is overwhelmed and we are running out of everything",
    "We will not negotiate while our towns are being bombed",
    "Our door remains open to dialogue, but security comes first",
    "Children are paying the highest price in this war",
    "We heard the explosion and then everything went dark",
    "Nobody warned us, the strike came without any warning",
    "The world must not look away from what is happening here",
    "We have recorded violations almost every day this month",
    "Any attack on civilians is a violation of international law",
]

COMMENTARY = [
    "Analysts say the fighting shows how far both sides remain from a political settlement.",
    "Diplomats describe the situation as the most fragile in years.",
    "The violence has raised questions about the effectiveness of international pressure.",
    "Observers note that neither side appears willing to make concessions.",
    "Aid workers warn that the humanitarian system is stretched to breaking point.",
    "The latest reports fit a pattern seen across the region in recent years.",
    "Experts caution that figures from conflict zones are hard to verify independently.",
    "Regional governments are watching the situation closely.",
    "Independent journalists have limited access to the affected areas.",
    "Critics argue that ceasefires announced in the past were never fully respected.",
]

REACTIONS = [
    "The United Nations secretary-general's spokesperson called for restraint and the protection of civilians.",
    "The International Committee of the Red Cross said its teams were ready to help evacuate the wounded.",
    "Rights groups demanded an independent investigation into the attack.",
    "The European Union said attacks on civilians were unacceptable.",
    "Aid agencies said access to the area remained extremely difficult.",
]


# ----------------------------------------------------------------------------- helpers
def num_word(n: int) -> str:
    if n <= 20:
        return NUM_WORDS[n]
    if n < 100:
        t, u = divmod(n, 10)
        return TENS[t * 10] + ("" if u == 0 else "-" + NUM_WORDS[u])
    return f"{n:,}"


def fmt_date(d: date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return f"{d.day} {MONTHS[d.month - 1]}"
    return f"{MONTHS[d.month - 1]} {d.day}"


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


@dataclass
class Quantity:
    text: str
    best: int | None
    low: int | None
    high: int | None
    form: str
    vague: bool = False


def make_quantity(rng: random.Random, n: int, allow_vague: bool = True) -> Quantity:
    """A casualty figure in one of the forms wire copy uses."""
    r = rng.random()
    if r < 0.34:
        return Quantity(str(n), n, n, n, "digits")
    if r < 0.52 and n <= 60:
        return Quantity(num_word(n), n, n, n, "words")
    if r < 0.74:
        w = str(n) if (n > 20 or rng.random() < 0.5) else num_word(n)
        lead = rng.choice(["at least", "at least", "no fewer than"])
        return Quantity(f"{lead} {w}", n, n, None, "at_least")
    if r < 0.86:
        hi = n + rng.choice([2, 3, 5, 10]) if n >= 5 else n + 2
        if rng.random() < 0.5:
            return Quantity(f"between {n} and {hi}", n, n, hi, "range")
        return Quantity(f"{n} to {hi}", n, n, hi, "range")
    if r < 0.94 or not allow_vague:
        lead = rng.choice(["about", "around", "nearly", "more than"])
        if lead == "more than":
            return Quantity(f"more than {n}", n, n, None, "more_than")
        return Quantity(f"{lead} {n}", n, None, None, "approx")
    words, lo = rng.choice([("dozens of", 24), ("several", 3), ("scores of", 40), ("a number of", 2)])
    return Quantity(words, None, lo, None, "vague", vague=True)


def casualty_count(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.55:
        return rng.randint(1, 9)
    if r < 0.85:
        return rng.randint(10, 30)
    if r < 0.97:
        return rng.randint(31, 80)
    return rng.randint(81, 200)


def victims(rng: random.Random, kind: str) -> str:
    return rng.choice(CIV_NOUNS if kind == "civ" else MIL_NOUNS if kind == "mil" else MIXED_NOUNS)


def date_phrase(rng: random.Random, event: date, published: date) -> tuple[str, str]:
    """How the article names the incident's day, relative to publication."""
    delta = (published - event).days
    wd = WEEKDAYS[event.weekday()]
    if delta == 0:
        return rng.choice([(f"on {wd}", "weekday"), (f"early on {wd}", "weekday"),
                           (f"on {wd} morning", "weekday"), ("today", "today")])
    if delta == 1:
        return rng.choice([("yesterday", "yesterday"), (f"on {wd}", "weekday"),
                           (f"late on {wd}", "weekday"), (f"on {fmt_date(event, rng)}", "explicit")])
    return rng.choice([(f"on {wd}", "weekday"), (f"on {fmt_date(event, rng)}", "explicit"),
                       (f"on {fmt_date(event, rng)}", "explicit")])


# ----------------------------------------------------------------------------- documents
@dataclass
class Incident:
    incident_id: str
    region: Region
    date: date
    place: str
    province: str
    attack: tuple
    killed: Quantity | None
    wounded: Quantity | None
    disputed: bool
    victim_kind: str

    def truth(self, phrase: str, phrase_kind: str) -> dict:
        k, w = self.killed, self.wounded
        return {
            "incident_id": self.incident_id, "date": self.date.isoformat(),
            "event_type": self.attack[4], "acled_type": self.attack[5], "location": self.place,
            "actor1": self.attack[1], "actor2": None,
            "killed": k.best if k else None, "killed_low": k.low if k else None,
            "killed_high": k.high if k else None, "killed_vague": bool(k and k.vague),
            "wounded": w.best if w else None, "wounded_low": w.low if w else None,
            "wounded_high": w.high if w else None, "wounded_vague": bool(w and w.vague),
            "disputed": self.disputed, "scope": "incident",
            "date_phrase": phrase, "date_phrase_kind": phrase_kind,
            "quantity_form": k.form if k else (w.form if w else None),
        }


@dataclass
class Diplomacy:
    incident_id: str
    date: date
    event_type: str      # CONSULT | AGREE | THREATEN
    actor1: str
    actor2: str | None
    location: str | None

    def truth(self, phrase: str) -> dict:
        return {"incident_id": self.incident_id, "date": self.date.isoformat(),
                "event_type": self.event_type, "acled_type": None, "location": self.location,
                "actor1": self.actor1, "actor2": self.actor2, "killed": None, "killed_low": None,
                "killed_high": None, "killed_vague": False, "wounded": None, "wounded_low": None,
                "wounded_high": None, "wounded_vague": False, "disputed": False, "scope": "incident",
                "date_phrase": phrase, "date_phrase_kind": None, "quantity_form": None}


@dataclass
class Doc:
    seq: int
    published: date
    outlet: tuple
    title: str
    paragraphs: list[str]
    kind: str                       # original | second_report | copy
    incidents: list[dict] = field(default_factory=list)
    not_counted: list[dict] = field(default_factory=list)
    copy_of: "Doc | None" = None
    dup_kind: str | None = None
    region: Region | None = None
    main: Incident | None = None
    raw_text: str | None = None     # for copies: the exact text
    doc_id: str = ""
    file: str = ""

    def text(self) -> str:
        if self.raw_text is not None:
            return self.raw_text
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


class Generator:
    def __init__(self, seed: int, start: date = date(2023, 1, 1), days: int = 900):
        self.rng = random.Random(seed)
        self.seed = seed
        self.start = start
        self.days = days
        self.n_inc = 0

    def _iid(self) -> str:
        self.n_inc += 1
        return f"I{self.n_inc:07d}"

    def _dateline(self, place: str, published: date, outlet: tuple) -> str:
        rng = self.rng
        city = place.upper()
        r = rng.random()
        if r < 0.4 and outlet[2]:
            return f"{city}, {MONTHS_AP[published.month - 1]} {published.day} ({outlet[2]}) — "
        if r < 0.7:
            return f"{city} — "
        if r < 0.85:
            return f"{city}, {MONTHS[published.month - 1]} {published.day}, {published.year} — "
        return ""

    def _begin_doc(self, reg: Region, place: str, province: str) -> None:
        """Per-article draw orders: context sentences and quotes never repeat inside one article."""
        rng = self.rng
        self._bank = rng.sample(range(len(BANK)), len(BANK))
        self._quotes = rng.sample(range(len(QUOTES)), len(QUOTES))
        self._regional = rng.sample(reg.background, len(reg.background))
        self._extras = rng.sample(COMMENTARY, len(COMMENTARY)) + rng.sample(REACTIONS, len(REACTIONS))
        sa, sb = reg.side_a[rng.randrange(1, len(reg.side_a))], reg.side_b[rng.randrange(1, len(reg.side_b))]
        self._slots = {"place": place, "province": province, "country": reg.country,
                       "capital": reg.capital, "Source": cap(rng.choice(reg.sources)),
                       "Side_a": cap(sa), "side_b": sb, "Side_b": cap(sb),
                       "weekday": WEEKDAYS[rng.randrange(7)], "org": rng.choice(ORGS), "n": 0}

    def _context(self, k: int) -> str:
        """k context sentences (bank, regional colour, commentary) not used yet in this article."""
        rng = self.rng
        out = []
        for _ in range(k):
            r = rng.random()
            if r < 0.15 and self._regional:
                out.append(self._regional.pop().format(
                    place=self._slots["place"], province=self._slots["province"],
                    n=rng.randint(3, 400)))
            elif r < 0.3 and self._extras:
                out.append(self._extras.pop())
            elif self._bank:
                self._slots["n"] = rng.randint(3, 60)
                out.append(BANK[self._bank.pop()].format(**self._slots))
        return " ".join(out)

    def _quote(self, reg: Region, inc: Incident | None) -> str:
        rng = self.rng
        name, title = rng.choice(reg.officials)
        q = QUOTES[self._quotes.pop()] if self._quotes else rng.choice(QUOTES)
        style = rng.random()
        if style < 0.4:
            return f"\u201c{q},\u201d said {name}, {title}."
        if style < 0.7:
            return f"\u201c{q},\u201d {name}, {title}, told reporters."
        return f"{name}, {title}, said in a statement: \u201c{q}.\u201d"

    def _lead(self, inc: Incident, published: date, outlet: tuple) -> tuple[str, str, str]:
        rng = self.rng
        reg = inc.region
        phrase, pkind = date_phrase(rng, inc.date, published)
        att = inc.attack
        vic = victims(rng, inc.victim_kind)
        src = rng.choice(reg.sources)
        k, w = inc.killed, inc.wounded
        dl = self._dateline(inc.place, published, outlet)
        where = f"in {inc.place}" if rng.random() < 0.6 else f"in {inc.place} in {inc.province}"
        form = rng.randrange(5)
        if k and w:
            if form == 0:
                s = f"{cap(att[0])} killed {k.text} {vic} and wounded {w.text} others {where} {phrase}, {src} said."
            elif form == 1:
                s = f"{cap(k.text)} {vic} were killed and {w.text} wounded {where} {phrase} in {att[0]}, according to {src}."
            elif form == 2:
                s = f"{cap(phrase)}, {att[0]} {where} killed {k.text} {vic} and injured {w.text}, {src} said."
            elif form == 3:
                s = f"{cap(att[0])} {where} {phrase} left {k.text} {vic} dead and {w.text} injured, {src} said."
            else:
                s = f"{cap(src)} said {k.text} {vic} were killed and {w.text} were wounded when {att[0]} hit {inc.place} {phrase}."
        elif k:
            if form in (0, 1):
                s = f"{cap(att[0])} killed {k.text} {vic} {where} {phrase}, {src} said."
            elif form == 2:
                s = f"{cap(k.text)} {vic} were killed {where} {phrase} in {att[0]}, {src} said."
            elif form == 3:
                s = f"{cap(phrase)}, {k.text} {vic} died in {att[0]} {where}, according to {src}."
            else:
                s = f"{cap(src)} said {att[0]} killed {k.text} {vic} {where} {phrase}."
        else:
            if form < 3:
                s = f"{cap(att[0])} wounded {w.text} {vic} {where} {phrase}, {src} said."
            else:
                s = f"{cap(w.text)} {vic} were injured {where} {phrase} in {att[0]}, according to {src}."
        return dl + s, phrase, pkind

    def _detail(self, inc: Incident) -> str:
        rng = self.rng
        reg = inc.region
        options = [
            f"Rescue workers searched the rubble of several buildings in {inc.place} for survivors.",
            f"Photographs shared by residents showed burned-out cars and collapsed walls in the centre of {inc.place}.",
            f"The wounded were taken to hospitals in {inc.place} and nearby towns, some in critical condition.",
            f"Witnesses said the attack began shortly before dawn and lasted more than an hour.",
            f"A market and a health centre were among the buildings damaged, officials said.",
            f"Residents said they had received no warning before the attack.",
        ]
        return " ".join(rng.sample(options, 2))

    def _dispute(self, inc: Incident) -> str:
        reg = inc.region
        perp = inc.attack[2]
        other = reg.side_b[1] if inc.attack[1] == reg.side_a[0] else reg.side_a[1]
        return self.rng.choice([
            f"{cap(perp)} denied responsibility and accused {other} of staging the attack.",
            f"{cap(perp)} rejected the account, saying it had targeted only military positions.",
            f"A spokesman for {perp} denied the claims, calling them fabricated.",
        ])

    def _secondary(self, reg: Region, main: Incident, published: date) -> tuple[str, Incident, str]:
        """Another incident the day before the main one, named relative to it."""
        rng = self.rng
        place, prov = rng.choice([p for p in reg.places if p[0] != main.place] or reg.places)
        att = rng.choice(reg.attacks)
        n = rng.randint(1, 12)
        kind = rng.random()
        k = make_quantity(rng, n, allow_vague=False) if kind < 0.6 else None
        w = make_quantity(rng, rng.randint(1, 15), allow_vague=False) if (kind >= 0.4 or k is None) else None
        inc = Incident(self._iid(), reg, main.date - timedelta(days=1), place, prov, att, k, w, False,
                       att[3])
        lead = rng.choice(["The day before", "A day earlier", "The previous day", "The day before that"])
        vic = victims(rng, att[3])
        if k and w:
            s = f"{lead}, {att[0]} in {place} killed {k.text} {vic} and wounded {w.text}, {rng.choice(reg.sources)} said."
        elif k:
            s = f"{lead}, {k.text} {vic} were killed in {att[0]} in {place}, {rng.choice(reg.sources)} said."
        else:
            s = f"{lead}, {att[0]} wounded {w.text} {vic} in {place}, {rng.choice(reg.sources)} said."
        return s, inc, lead.lower()

    def _aggregate(self, reg: Region, published: date) -> tuple[str, dict]:
        rng = self.rng
        n = rng.randint(20, 900)
        prov = rng.choice(reg.places)[1]
        month = MONTHS[(published.month - 2) % 12]
        r = rng.randrange(4)
        if r == 0:
            s = f"At least {n} people have been killed in {prov} since {month}, according to the United Nations."
            kind = "aggregate"
        elif r == 1:
            s = f"Over the past week, {n} civilians were killed in attacks across {prov}, officials said."
            kind = "aggregate"
        elif r == 2:
            s = f"In recent months, more than {n} people have died in fighting around {prov}, aid groups estimate."
            kind = "aggregate"
        else:
            s = f"The monitoring group has recorded {n} deaths in {prov} this year alone."
            kind = "aggregate"
        return s, {"kind": kind, "killed": n, "text": s}

    def _historical(self, reg: Region) -> tuple[str, dict]:
        rng = self.rng
        lo, hi = reg.war_toll
        n = rng.randrange(lo, hi, 100)
        r = rng.randrange(3)
        if r == 0:
            s = (f"The conflict, which began in {reg.war_start}, has killed more than {n:,} people, "
                 f"and {reg.displaced}.")
        elif r == 1:
            year = rng.choice(reg.past_years)
            place = rng.choice(reg.places)[0]
            m = rng.randint(30, 400)
            s = f"In {year}, a similar attack on {place} killed {m} people, one of the deadliest of the war."
            n = m
        else:
            s = f"Tens of thousands of people have been killed since {reg.war_start}, and {reg.displaced}."
            n = None
        return s, {"kind": "historical", "killed": n, "text": s}

    def _diplomacy(self, reg: Region, published: date) -> tuple[str, Diplomacy, str]:
        rng = self.rng
        delta = rng.choice([0, 1, 1, 2, 3])
        d = published - timedelta(days=delta)
        wd = WEEKDAYS[d.weekday()]
        phrase = "yesterday" if delta == 1 and rng.random() < 0.4 else f"on {wd}"
        venue = rng.choice(reg.venues)
        med = rng.choice(reg.mediators)
        a, b = reg.side_a[0], reg.side_b[0]
        r = rng.randrange(3)
        if r == 0:
            s = (f"Delegations from {a} and {b} met in {venue} {phrase} for talks mediated by {med}, "
                 f"the first direct contact in weeks.")
            dip = Diplomacy(self._iid(), d, "CONSULT", a, b, venue)
        elif r == 1:
            s = (f"{cap(med)} said {a} and {b} agreed {phrase} to a prisoner exchange during talks in {venue}.")
            dip = Diplomacy(self._iid(), d, "AGREE", a, b, venue)
        else:
            s = (f"{cap(reg.side_a[2])} threatened {phrase} to expand its operations if {reg.side_b[2]} did not withdraw.")
            dip = Diplomacy(self._iid(), d, "THREATEN", a, b, None)
        return s, dip, phrase

    def new_incident(self, reg: Region, published: date) -> Incident:
        rng = self.rng
        place, prov = rng.choice(reg.places)
        att = rng.choice(reg.attacks)
        delta = rng.choice([0, 0, 1, 1, 1, 2, 3])
        d = published - timedelta(days=delta)
        r = rng.random()
        k = make_quantity(rng, casualty_count(rng)) if r < 0.85 else None
        w = make_quantity(rng, casualty_count(rng)) if (r > 0.35 or k is None) else None
        return Incident(self._iid(), reg, d, place, prov, att, k, w, rng.random() < 0.15, att[3])

    def _fill(self, paras: list[str], n: int, target: int, reg: Region, inc: Incident | None) -> int:
        """Context paragraphs (1-3 sentences, sometimes a quote) until the article reaches target words."""
        rng = self.rng
        while n < target and (self._bank or self._extras):
            if rng.random() < 0.25 and self._quotes:
                p = self._quote(reg, inc) + (" " + self._context(1) if rng.random() < 0.5 else "")
            else:
                p = self._context(rng.randint(1, 3))
            if not p:
                break
            paras.append(p)
            n += len(p.split())
        return n

    def conflict_article(self, seq: int, published: date, outlet: tuple, inc: Incident,
                         kind: str) -> Doc:
        rng = self.rng
        reg = inc.region
        self._begin_doc(reg, inc.place, inc.province)
        target = rng.randint(200, 600)
        lead, phrase, pkind = self._lead(inc, published, outlet)
        k = inc.killed
        if k and k.best is not None and rng.random() < 0.6:
            title = rng.choice([
                f"{k.best} killed in {inc.attack[0].removeprefix('a ').removeprefix('an ')} in {inc.place}",
                f"Attack in {inc.place} kills {k.best}, officials say",
                f"{inc.region.country}: deadly attack hits {inc.place}",
                f"Death toll in {inc.place} attack reaches {k.best}",
            ])
        else:
            title = rng.choice([f"Civilians caught in violence in {inc.place}",
                                f"{inc.place} hit as fighting in {inc.region.country} intensifies",
                                f"Casualties reported after attack on {inc.place}",
                                f"Fresh violence in {inc.province}",
                                f"Residents of {inc.place} count the cost of another attack"])
        paras = [lead, self._detail(inc)]
        truths = [inc.truth(phrase, pkind)]
        not_counted = []
        paras.append(self._quote(reg, inc) + (" " + self._context(1) if rng.random() < 0.5 else ""))
        if inc.disputed:
            paras.append(self._dispute(inc))
        if rng.random() < 0.3:
            s, sec, sp = self._secondary(reg, inc, published)
            paras.append(s)
            truths.append(sec.truth(sp, "relative_to_event"))
        if rng.random() < 0.5:
            s, nc = self._aggregate(reg, published)
            paras.append(s)
            not_counted.append(nc)
        if rng.random() < 0.6:
            s, nc = self._historical(reg)
            paras.append(s + " " + self._context(rng.randint(0, 2)))
            not_counted.append(nc)
        if rng.random() < 0.35:
            s, dip, dp = self._diplomacy(reg, published)
            paras.append("Meanwhile, " + s[0].lower() + s[1:] if rng.random() < 0.5 else s)
            truths.append(dip.truth(dp))
        n = sum(len(p.split()) for p in paras) + len(title.split())
        n = self._fill(paras, n, target, reg, inc)
        while len(paras) > 4 and n > 600:
            n -= len(paras.pop().split())
        if rng.random() < 0.1:  # page chrome in an original (cleaning removes it; not a copy)
            paras.insert(rng.randrange(1, len(paras)), rng.choice(CHROME_LINES))
        return Doc(seq, published, outlet, title, paras, kind, truths, not_counted, region=reg, main=inc)

    def diplomacy_article(self, seq: int, published: date, outlet: tuple, reg: Region) -> Doc:
        rng = self.rng
        target = rng.randint(200, 500)
        p0 = rng.choice(reg.places)
        self._begin_doc(reg, p0[0], p0[1])
        s, dip, phrase = self._diplomacy(reg, published)
        place = dip.location or reg.capital
        dl = self._dateline(place, published, outlet)
        title = rng.choice([f"{reg.side_a[0]} and {reg.side_b[0]} hold talks in {place}",
                            f"Diplomatic push on {reg.country} as envoys meet",
                            f"{reg.country}: mediators seek a way out of the conflict",
                            f"Envoys gather in {place} as pressure mounts over {reg.country}"])
        paras = [dl + s, self._quote(reg, None)]
        truths = [dip.truth(phrase)]
        not_counted = []
        s2, nc = self._historical(reg)
        paras.append(s2 + " " + self._context(1))
        not_counted.append(nc)
        if rng.random() < 0.5:
            s3, nc = self._aggregate(reg, published)
            paras.append(s3)
            not_counted.append(nc)
        n = sum(len(p.split()) for p in paras) + len(title.split())
        self._fill(paras, n, target, reg, None)
        return Doc(seq, published, outlet, title, paras, "original", truths, not_counted, region=reg)

    # ------------------------------------------------------------------- copies
    def make_copy(self, seq: int, orig: Doc, kind: str) -> Doc:
        rng = self.rng
        published = orig.published + timedelta(days=rng.choice([0, 0, 1, 2]))
        outlet = rng.choice([o for o in OUTLETS if o != orig.outlet])
        text = orig.text()
        if kind == "exact":
            new = text
        elif kind == "new_headline":
            reg = orig.region
            new_title = rng.choice([f"UPDATE: {orig.title}", f"{reg.country} latest: {orig.title.lower()}",
                                    f"What we know about the violence in {reg.country}"])
            new = new_title + "\n\n" + "\n\n".join(orig.paragraphs) + "\n"
        elif kind == "ending_cut":
            paras = list(orig.paragraphs)
            total = sum(len(p.split()) for p in paras)
            kept, n = [], 0
            for p in paras:
                if kept and n + len(p.split()) > 0.8 * total:
                    break
                kept.append(p)
                n += len(p.split())
            if len(kept) == len(paras) and len(paras) > 2:
                kept = paras[:-1]
            new = orig.title + "\n\n" + "\n\n".join(kept) + "\n"
        elif kind == "quoted_in_longer":
            reg = orig.region
            intro = [f"Analysis: the view from {reg.capital}",
                     " ".join(rng.sample(COMMENTARY, 3)),
                     f"{cap(rng.choice(['here is', 'below is']))} the report {orig.outlet[0]} published:"]
            outro = [" ".join(rng.sample(COMMENTARY, 2))]
            new = "\n\n".join(intro + orig.paragraphs + outro) + "\n"
        elif kind == "chrome_added":
            lines = text.rstrip("\n").split("\n\n")
            out = [lines[0], rng.choice(CHROME_LINES[5:8]), f"By {orig.outlet[0]} staff"]
            for i, p in enumerate(lines[1:]):
                out.append(p)
                if i == 1:
                    out.append("Advertisement")
                if i == 3:
                    out.append(f"Read more: {rng.choice(COMMENTARY)[:-1]}")
            out += ["Share this article", f"\u00a9 {published.year} {outlet[0]}. All rights reserved."]
            new = "\n\n".join(out) + "\n"
        else:  # pragma: no cover
            raise ValueError(kind)
        root = orig.copy_of or orig
        return Doc(seq, published, outlet, orig.title, [], "copy", orig.incidents, orig.not_counted,
                   copy_of=root, dup_kind=kind, region=orig.region, raw_text=new)


DUP_KINDS = ["exact", "new_headline", "ending_cut", "quoted_in_longer", "chrome_added"]


def plan_counts(n: int) -> tuple[int, int, int]:
    """(originals, second reports, copies) for n documents."""
    copies = max(len(DUP_KINDS), round(0.15 * n)) if n >= 15 else n // 4
    second = round(0.12 * n) if n >= 10 else 0
    return n - copies - second, second, copies


def generate(n_docs: int, seed: int = 7) -> tuple[list[Doc], dict]:
    g = Generator(seed)
    rng = g.rng
    n_orig, n_second, n_copy = plan_counts(n_docs)
    # publication days: spread over the window, denser for bigger corpora
    span = min(g.days, max(30, n_docs // 8))
    docs: list[Doc] = []
    conflict: list[Doc] = []
    seq = 0
    for _ in range(n_orig):
        reg = rng.choice(REGIONS)
        published = g.start + timedelta(days=rng.randrange(span))
        outlet = rng.choice(OUTLETS)
        if rng.random() < 0.18:
            d = g.diplomacy_article(seq, published, outlet, reg)
        else:
            inc = g.new_incident(reg, published)
            d = g.conflict_article(seq, published, outlet, inc, "original")
            conflict.append(d)
        docs.append(d)
        seq += 1
    for _ in range(n_second):
        base = rng.choice(conflict)
        inc = base.main
        published = inc.date + timedelta(days=rng.choice([0, 1, 1, 2]))
        published = max(published, base.published - timedelta(days=1))
        outlet = rng.choice([o for o in OUTLETS if o != base.outlet])
        d = g.conflict_article(seq, published, outlet, inc, "second_report")
        docs.append(d)
        seq += 1
    originals = list(docs)
    for i in range(n_copy):
        orig = rng.choice(originals)
        d = g.make_copy(seq, orig, DUP_KINDS[i % len(DUP_KINDS)])
        docs.append(d)
        seq += 1
    # file order: by publication day, then creation order (an original precedes its copies)
    docs.sort(key=lambda d: (d.published, d.seq))
    for i, d in enumerate(docs):
        h = hashlib.sha1(f"{seed}:{d.seq}".encode()).hexdigest()[:12]
        d.doc_id = f"{i:06d}_{h}"
        d.file = d.doc_id + ".txt"
    meta = {"docs": n_docs, "seed": seed, "generator_version": GENERATOR_VERSION,
            "originals": n_orig, "second_reports": n_second, "copies": n_copy}
    return docs, meta


def daily_truth(docs: list[Doc]) -> list[dict]:
    seen: dict[str, dict] = {}
    for d in docs:
        for inc in d.incidents:
            if (inc["killed"] or inc["wounded"] or inc["killed_vague"] or inc["wounded_vague"]) \
                    and inc["incident_id"] not in seen:
                seen[inc["incident_id"]] = inc
    days: dict[str, dict] = defaultdict(lambda: {"killed": 0, "wounded": 0, "incidents": 0,
                                                 "vague_or_range": False})
    for inc in seen.values():
        row = days[inc["date"]]
        row["killed"] += inc["killed"] or 0
        row["wounded"] += inc["wounded"] or 0
        row["incidents"] += 1
        if inc["killed_vague"] or inc["wounded_vague"] or inc["quantity_form"] in ("range", "vague"):
            row["vague_or_range"] = True
    return [{"day": k, **v} for k, v in sorted(days.items())]


def write_corpus(out: Path, docs: list[Doc], meta: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    words = 0
    man = io.StringIO()
    mw = csv.writer(man, lineterminator="\n")
    mw.writerow(["file", "published_date", "outlet", "url"])
    tr = io.StringIO()
    for d in docs:
        text = d.text()
        words += len(text.split())
        with open(out / d.file, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        slug = d.doc_id.split("_")[1]
        mw.writerow([d.file, d.published.isoformat(), d.outlet[0], f"https://{d.outlet[1]}/news/{slug}"])
        tr.write(json.dumps({
            "doc_id": d.doc_id, "file": d.file, "published_date": d.published.isoformat(),
            "outlet": d.outlet[0], "kind": d.kind,
            "duplicate_of": d.copy_of.doc_id if d.copy_of else None, "dup_kind": d.dup_kind,
            "region": d.region.key if d.region else None,
            "incidents": d.incidents, "not_counted": d.not_counted,
        }, ensure_ascii=False) + "\n")
    (out / "manifest.csv").write_text(man.getvalue(), encoding="utf-8")
    tdir = truth_dir(out)
    tdir.mkdir(exist_ok=True)
    (tdir / "truth.jsonl").write_text(tr.getvalue(), encoding="utf-8")
    daily = daily_truth(docs)
    with open(tdir / "truth_daily.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["day", "killed", "wounded", "incidents", "vague_or_range"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(daily)
    meta = dict(meta, words=words, days_with_casualties=len(daily),
                casualty_incidents=sum(r["incidents"] for r in daily))
    (tdir / "corpus.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def truth_dir(out: Path) -> Path:
    """Where the truth files of a corpus folder are (hidden: the pipeline never reads them)."""
    return Path(out) / ".truth"


def ensure_corpus(out: Path, n_docs: int, seed: int = 7) -> dict:
    """Generate the corpus into ``out`` unless a corpus with the same parameters is there."""
    meta_path = truth_dir(out) / "corpus.json"
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
            if (meta.get("docs"), meta.get("seed"), meta.get("generator_version")) == \
                    (n_docs, seed, GENERATOR_VERSION):
                return meta
        except ValueError:
            pass
    docs, meta = generate(n_docs, seed)
    return write_corpus(out, docs, meta)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, required=True, help="number of articles (up to 100k)")
    p.add_argument("--out", required=True, help="output folder (its .txt files are replaced)")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    if a.docs < 1:
        p.error("--docs must be at least 1")
    t0 = time.perf_counter()
    docs, meta = generate(a.docs, a.seed)
    meta = write_corpus(Path(a.out), docs, meta)
    meta["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
