"""The bulk record kinds Puente ingests, as typed columnar schemas.

Transactions, currency reports and crossings arrive by the million, so they are never FollowTheMoney objects:
each kind is a typed Arrow schema and a DuckDB table. This module is the single definition of those kinds.
Everything else derives from it: the Arrow schema (:func:`arrow_schema`), the workspace DDL, the validation
performed at ingest, and the documentation (every field carries a ``doc`` string, exported as Arrow field
metadata so that a Parquet file written by Puente documents itself).

Field checks name *what* a value must be (an ISO 4217 code, a positive amount, a Mexican CURP …); the rules
that enforce them live in :mod:`puente.ingest.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa

#: Money is exact: 18 digits with 2 decimals covers any single transaction in any currency Puente sees.
MONEY = pa.decimal128(18, 2)


class Check(StrEnum):
    """What a field's value must be; the ingest layer maps each to a vectorised validation."""

    TEXT = "text"
    DATE = "date"
    TIMESTAMP = "timestamp"
    AMOUNT = "amount"  # positive money
    NON_NEGATIVE = "non_negative"  # zero allowed (e.g. cash-out on a CTR with cash-in only)
    INTEGER = "integer"
    CURRENCY = "currency"  # ISO 4217 alphabetic code
    COUNTRY = "country"  # ISO 3166-1 alpha-2 (alpha-3 accepted and normalised)
    ENUM = "enum"
    CURP = "curp"  # Mexican Clave Única de Registro de Población, with check digit
    RFC = "rfc"  # Mexican Registro Federal de Contribuyentes (persons 13, companies 12 characters)
    SSN = "ssn"  # US Social Security Number (or ITIN)
    EIN = "ein"  # US Employer Identification Number
    VIN = "vin"  # ISO 3779 vehicle identification number (check digit for North American VINs)
    TEXT_LIST = "text_list"  # several values; ";" separated in CSV


_ARROW_TYPES: dict[Check, pa.DataType] = {
    Check.TEXT: pa.string(),
    Check.DATE: pa.date32(),
    Check.TIMESTAMP: pa.timestamp("us"),
    Check.AMOUNT: MONEY,
    Check.NON_NEGATIVE: MONEY,
    Check.INTEGER: pa.int64(),
    Check.CURRENCY: pa.string(),
    Check.COUNTRY: pa.string(),
    Check.ENUM: pa.string(),
    Check.CURP: pa.string(),
    Check.RFC: pa.string(),
    Check.SSN: pa.string(),
    Check.EIN: pa.string(),
    Check.VIN: pa.string(),
    Check.TEXT_LIST: pa.list_(pa.string()),
}


@dataclass(frozen=True)
class FieldSpec:
    """One column of a record kind."""

    name: str
    check: Check
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.check]


@dataclass(frozen=True)
class RecordKind:
    """A kind of bulk record: its table, its key and its fields."""

    name: str
    table: str
    key: str
    doc: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)


def _f(name: str, check: Check, doc: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(name=name, check=check, doc=doc, required=required, choices=choices)


T, D, TS, AMT = Check.TEXT, Check.DATE, Check.TIMESTAMP, Check.AMOUNT

CHANNELS = (
    "cash_deposit",
    "cash_withdrawal",
    "wire",
    "check",
    "ach",
    "msb_transfer",  # money services business (US money transmitter) transfer
    "casa_de_cambio",  # Mexican exchange house transfer
    "card",
    "book_transfer",  # between two accounts of the same bank
    "armored_car",  # cash pick-up by an armoured-car service credited to an account
)

TRANSACTION = RecordKind(
    name="transaction",
    table="transactions",
    key="transaction_id",
    doc="A bank transaction or wire, shaped after ISO 20022 pacs.008 (FI-to-FI customer credit transfer), "
    "extended with cash channels and the branch where cash changed hands.",
    fields=(
        _f(
            "transaction_id",
            T,
            "End-to-end identifier (pacs.008 EndToEndId / UETR); the record key.",
            required=True,
        ),
        _f("value_date", D, "Settlement / value date (pacs.008 IntrBkSttlmDt).", required=True),
        _f("booked_at", TS, "Timestamp the institution booked the transaction, when known."),
        _f("amount", AMT, "Instructed amount, positive, in `currency` (pacs.008 InstdAmt).", required=True),
        _f("currency", Check.CURRENCY, "ISO 4217 code of `amount`.", required=True),
        _f("channel", Check.ENUM, "How the money moved.", required=True, choices=CHANNELS),
        _f("debtor_name", T, "Name of the party paying / depositing (pacs.008 Dbtr/Nm)."),
        _f("debtor_id", T, "Institution's party identifier of the debtor (customer number, RFC, EIN …)."),
        _f("debtor_account", T, "Debtor account number or IBAN/CLABE (pacs.008 DbtrAcct)."),
        _f("debtor_agent", T, "Debtor's institution: BIC, ABA routing number or name (pacs.008 DbtrAgt)."),
        _f("debtor_country", Check.COUNTRY, "Country of the debtor's institution (ISO 3166-1 alpha-2)."),
        _f("creditor_name", T, "Name of the party receiving (pacs.008 Cdtr/Nm)."),
        _f("creditor_id", T, "Institution's party identifier of the creditor."),
        _f("creditor_account", T, "Creditor account number or IBAN/CLABE (pacs.008 CdtrAcct)."),
        _f("creditor_agent", T, "Creditor's institution: BIC, ABA routing number or name (pacs.008 CdtrAgt)."),
        _f("creditor_country", Check.COUNTRY, "Country of the creditor's institution (ISO 3166-1 alpha-2)."),
        _f(
            "conductor_name",
            T,
            "Person who physically conducted a cash transaction, when not the account owner.",
        ),
        _f("conductor_id", T, "Identifier of the conductor (ID document number or party id)."),
        _f("branch_id", T, "Branch, ATM or agent location where cash changed hands."),
        _f("branch_city", T, "City of the branch."),
        _f("branch_state", T, "State of the branch (USPS or INEGI code), e.g. TX, AZ, BC, CHH."),
        _f("branch_country", Check.COUNTRY, "Country of the branch (ISO 3166-1 alpha-2)."),
        _f("purpose", T, "Remittance information / purpose text (pacs.008 RmtInf/Ustrd)."),
    ),
)

CTR = RecordKind(
    name="ctr",
    table="ctrs",
    key="report_id",
    doc="Currency Transaction Report (FinCEN Form 112): cash in or out over $10,000 in one business day.",
    fields=(
        _f("report_id", T, "BSA identifier of the filing; the record key.", required=True),
        _f("filed_date", D, "Date the report was filed."),
        _f("transaction_date", D, "Business day of the cash transactions.", required=True),
        _f("institution_name", T, "Filing financial institution.", required=True),
        _f("institution_ein", Check.EIN, "EIN of the filing institution."),
        _f("branch_city", T, "City of the branch where the cash was handled."),
        _f("branch_state", T, "State of that branch (USPS code)."),
        _f(
            "person_name",
            T,
            "Person on whose behalf or by whom the transaction was conducted.",
            required=True,
        ),
        _f("person_dob", D, "That person's date of birth."),
        _f("person_ssn", Check.SSN, "That person's SSN or ITIN."),
        _f("person_id_type", T, "Type of identification presented (driver licence, passport, matrícula …)."),
        _f("person_id_number", T, "Number of that identification."),
        _f("person_address", T, "Street address."),
        _f("person_country", Check.COUNTRY, "Country of the address."),
        _f("role", Check.ENUM, "Role of the person.", choices=("conductor", "beneficiary", "both")),
        _f("account_number", T, "Account affected."),
        _f("cash_in", Check.NON_NEGATIVE, "Total cash in, USD."),
        _f("cash_out", Check.NON_NEGATIVE, "Total cash out, USD."),
    ),
)

INSTRUMENTS = ("currency", "coin", "travelers_checks", "money_orders", "checks", "promissory_notes", "other")
CONVEYANCES = (
    "passenger_vehicle",
    "commercial_truck",
    "bus",
    "rail",
    "pedestrian",
    "aircraft",
    "vessel",
    "mail",
)

CMIR = RecordKind(
    name="cmir",
    table="cmirs",
    key="report_id",
    doc="Report of International Transportation of Currency or Monetary Instruments (FinCEN Form 105, 'CMIR'), "
    "filed with CBP for more than $10,000 carried into or out of the United States.",
    fields=(
        _f("report_id", T, "Form 105 document number; the record key.", required=True),
        _f("filed_date", D, "Date filed."),
        _f("crossing_date", D, "Date the currency was transported.", required=True),
        _f("direction", Check.ENUM, "Into or out of the US.", required=True, choices=("inbound", "outbound")),
        _f("traveler_last_name", T, "Traveler's last name(s) as written on the form.", required=True),
        _f("traveler_first_name", T, "Traveler's first and middle names."),
        _f("traveler_dob", D, "Traveler's date of birth."),
        _f("traveler_nationality", Check.COUNTRY, "Country of citizenship."),
        _f("traveler_id_type", T, "Identification type (passport, border crossing card, driver licence …)."),
        _f("traveler_id_number", T, "Identification number."),
        _f("traveler_id_country", Check.COUNTRY, "Country that issued the identification."),
        _f("traveler_ssn", Check.SSN, "SSN, when the traveler has one."),
        _f("traveler_address", T, "Permanent address."),
        _f("traveler_city", T, "City of that address."),
        _f("traveler_state", T, "State of that address."),
        _f("traveler_country", Check.COUNTRY, "Country of that address."),
        _f("amount", AMT, "Amount carried in `currency`.", required=True),
        _f("currency", Check.CURRENCY, "ISO 4217 code.", required=True),
        _f("instrument_type", Check.ENUM, "Type of monetary instrument.", choices=INSTRUMENTS),
        _f("port_of_entry", T, "CBP port code (e.g. 2304 Laredo) or name.", required=True),
        _f("conveyance", Check.ENUM, "Method of transport.", choices=CONVEYANCES),
        _f("conveyance_id", T, "Licence plate, flight or vessel number."),
        _f("on_behalf_of_name", T, "Person or business on whose behalf the currency was carried."),
        _f("on_behalf_of_country", Check.COUNTRY, "Country of that person or business."),
    ),
)

MX_DECLARATION = RecordKind(
    name="mx_declaration",
    table="mx_declarations",
    key="folio",
    doc="Mexican customs cash declaration (Declaración de dinero, SAT/ANAM) for more than USD 10,000 "
    "or its equivalent carried into or out of Mexico. Field names are the Spanish ones of the form.",
    fields=(
        _f("folio", T, "Declaration number; the record key.", required=True),
        _f("fecha_declaracion", D, "Date of the declaration."),
        _f("fecha_cruce", D, "Date of the crossing.", required=True),
        _f("sentido", Check.ENUM, "Entering or leaving Mexico.", required=True, choices=("entrada", "salida")),
        _f("nombre", T, "Given name(s).", required=True),
        _f("apellido_paterno", T, "Paternal surname.", required=True),
        _f("apellido_materno", T, "Maternal surname (often missing in US records)."),
        _f("fecha_nacimiento", D, "Date of birth."),
        _f("nacionalidad", Check.COUNTRY, "Nationality."),
        _f("tipo_identificacion", T, "Identification type (pasaporte, INE, licencia …)."),
        _f("numero_identificacion", T, "Identification number."),
        _f("curp", Check.CURP, "CURP, for Mexican nationals."),
        _f("rfc", Check.RFC, "RFC tax identifier."),
        _f("domicilio", T, "Street address."),
        _f("ciudad", T, "City of the address."),
        _f("estado", T, "State of the address (e.g. Chihuahua, CHH)."),
        _f("pais", Check.COUNTRY, "Country of the address."),
        _f("monto", AMT, "Amount declared in `moneda`.", required=True),
        _f("moneda", Check.CURRENCY, "ISO 4217 code (USD or MXN mostly).", required=True),
        _f(
            "tipo_instrumento",
            Check.ENUM,
            "Instrument: cash, checks, documents receivable or a combination.",
            choices=("efectivo", "cheques", "documentos_por_cobrar", "combinacion"),
        ),
        _f("aduana", T, "Customs office (aduana) of the crossing, e.g. Nuevo Laredo.", required=True),
        _f("medio_transporte", T, "Means of transport (terrestre, aéreo, marítimo, peatonal)."),
        _f("identificador_transporte", T, "Vehicle plates, flight or vessel."),
        _f("a_nombre_de", T, "Person or business on whose behalf the money is carried."),
    ),
)

CROSSING = RecordKind(
    name="crossing",
    table="crossings",
    key="crossing_id",
    doc="A conveyance crossing of the border (vehicle, truck, rail car, bus or pedestrian) with the inspection "
    "outcome: the record outbound targeting scores.",
    fields=(
        _f("crossing_id", T, "Crossing event identifier; the record key.", required=True),
        _f("crossed_at", TS, "Time of the crossing.", required=True),
        _f("port_code", T, "Port of entry code (CBP) or customs office.", required=True),
        _f("port_name", T, "Port name, e.g. Laredo - World Trade Bridge."),
        _f(
            "direction",
            Check.ENUM,
            "Northbound (into the US) or southbound (into Mexico).",
            required=True,
            choices=("northbound", "southbound"),
        ),
        _f(
            "conveyance_type",
            Check.ENUM,
            "Kind of conveyance.",
            required=True,
            choices=("passenger_vehicle", "commercial_truck", "bus", "rail_car", "pedestrian"),
        ),
        _f("plate", T, "Licence plate."),
        _f("plate_state", T, "State that issued the plate (e.g. TX, BC)."),
        _f("plate_country", Check.COUNTRY, "Country that issued the plate."),
        _f("vin", Check.VIN, "Vehicle identification number."),
        _f("rail_car_id", T, "Rail car reporting mark and number."),
        _f("driver_name", T, "Driver or pedestrian name."),
        _f("driver_dob", D, "Driver date of birth."),
        _f("driver_id_number", T, "Driver identification number."),
        _f("carrier_name", T, "Carrier (transport company)."),
        _f("carrier_id", T, "Carrier identifier (USDOT number, CAAT or RFC)."),
        _f("manifest_value", Check.NON_NEGATIVE, "Declared value of the cargo manifest."),
        _f("manifest_currency", Check.CURRENCY, "Currency of the manifest value."),
        _f(
            "inspection",
            Check.ENUM,
            "Level of inspection.",
            choices=("none", "primary", "secondary", "non_intrusive"),
        ),
        _f(
            "inspection_result",
            Check.ENUM,
            "Outcome of inspection.",
            choices=("not_inspected", "no_finding", "seizure"),
        ),
        _f("seized_currency_usd", Check.NON_NEGATIVE, "Currency seized, USD equivalent."),
        _f("seized_weapons", Check.INTEGER, "Firearms seized."),
        _f("seized_ammunition", Check.INTEGER, "Rounds of ammunition seized."),
        _f("seized_drugs_kg", Check.NON_NEGATIVE, "Drugs seized, kilograms."),
    ),
)

SAR = RecordKind(
    name="sar",
    table="sars",
    key="sar_id",
    doc="Suspicious Activity Report (FinCEN SAR, or Mexican Reporte de Operación Inusual): subjects, amounts, "
    "period, typology codes and narrative.",
    fields=(
        _f("sar_id", T, "BSA identifier of the filing; the record key.", required=True),
        _f("filed_date", D, "Date filed.", required=True),
        _f("filer_institution", T, "Filing institution.", required=True),
        _f("activity_start", D, "First date of the suspicious activity."),
        _f("activity_end", D, "Last date of the suspicious activity."),
        _f("total_amount", AMT, "Total amount involved.", required=True),
        _f("currency", Check.CURRENCY, "ISO 4217 code of `total_amount`.", required=True),
        _f("subject_names", Check.TEXT_LIST, "Subjects' names (';' separated in CSV)."),
        _f("subject_ids", Check.TEXT_LIST, "Subjects' identifiers, parallel to `subject_names`."),
        _f("accounts", Check.TEXT_LIST, "Accounts involved."),
        _f("typology_codes", Check.TEXT_LIST, "Typology codes, e.g. structuring, funnel_account, tbml."),
        _f("narrative", T, "Free-text narrative."),
    ),
)

RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind for kind in (TRANSACTION, CTR, CMIR, MX_DECLARATION, CROSSING, SAR)
}

#: Columns every stored row carries so that any result can be traced to the file and row it came from.
PROVENANCE_FIELDS: tuple[pa.Field, ...] = (
    pa.field("_source_file", pa.string(), metadata={"doc": "Path of the file the row was read from."}),
    pa.field("_source_row", pa.int64(), metadata={"doc": "1-based record number in that file (header excluded)."}),
    pa.field("_run_id", pa.string(), metadata={"doc": "Ingest run that loaded the row."}),
    pa.field("_ingested_at", pa.timestamp("us"), metadata={"doc": "When the row was loaded (UTC)."}),
)


def get_kind(name: str) -> RecordKind:
    """Look a record kind up by name (``transaction``) or table (``transactions``)."""
    for kind in RECORD_KINDS.values():
        if name in (kind.name, kind.table):
            return kind
    known = ", ".join(RECORD_KINDS)
    raise KeyError(f"unknown record kind {name!r}; known kinds: {known}")


def arrow_schema(kind: RecordKind, *, provenance: bool = False) -> pa.Schema:
    """The Arrow schema of a record kind, each field documented in its metadata."""
    fields = [
        pa.field(spec.name, spec.arrow_type, nullable=not spec.required, metadata={"doc": spec.doc})
        for spec in kind.fields
    ]
    if provenance:
        fields.extend(PROVENANCE_FIELDS)
    return pa.schema(fields, metadata={"kind": kind.name, "doc": kind.doc})
