"""The evidence graph's edge sources, as SQL in Puente's dialect (DuckDB), one query per kind of evidence.

Each query returns raw evidence rows ``(src, dst, etype, ts, amount, record)``: one row per record (or FtM
relation entity) that ties two nodes together. :mod:`puente.network.graph` aggregates them into weighted,
time-stamped edges that keep their source records. Node ids are FtM entity ids where the workspace holds the
entity; otherwise a typed key (``id:``, ``acct:``, ``vin:``, ``plate:``, ``name:``, ``sar:``, ``alert:``,
``list:``) so that records naming the same identifier meet in one node even when no entity describes it.
"""

from __future__ import annotations

#: Normalise an identifier: upper case, letters and digits only (SSN 123-45-6789 == 123456789).
NORM = "nullif(regexp_replace(upper(trim(CAST({x} AS VARCHAR))), '[^A-Z0-9]', '', 'g'), '')"


def norm(expr: str) -> str:
    return NORM.format(x=expr)


#: Every identifier value of a party, one row each. A cast of the JSON array to a list is the form both engines
#: read (Spark: ``from_json``), so the lookup is built the same way on DuckDB and on Spark.
_IDENTIFIER_VALUES = "\n UNION ALL ".join(
    f"""SELECT id, unnest(CAST(json_extract(properties, '$.{prop}') AS VARCHAR[])) AS v FROM entities
        WHERE schema IN ('Person', 'Company', 'Organization', 'LegalEntity')"""
    for prop in ("socialSecurityNumber", "idNumber", "taxNumber", "passportNumber")
)


#: Lookup tables built first: identifier -> node, account -> node, vehicle key -> node, company name -> node.
LOOKUPS: dict[str, str] = {
    "nw_ident": f"""
        SELECT DISTINCT ident, node FROM (
            SELECT {norm("v")} AS ident, id AS node FROM ({_IDENTIFIER_VALUES})
            UNION ALL
            SELECT {norm("properties->>'$.number[0]'")}, properties->>'$.holder[0]'
            FROM entities WHERE schema IN ('Passport', 'Identification')
        ) WHERE ident IS NOT NULL AND length(ident) >= 5""",
    "nw_account": """
        SELECT DISTINCT properties->>'$.accountNumber[0]' AS account, id AS node
        FROM entities WHERE schema = 'BankAccount' AND properties->>'$.accountNumber[0]' IS NOT NULL""",
    "nw_vehicle": f"""
        SELECT DISTINCT vkey, id AS node FROM (
            SELECT id, 'plate:' || {norm("properties->>'$.registrationNumber[0]'")} AS vkey
            FROM entities WHERE schema = 'Vehicle'
            UNION ALL
            SELECT id, 'vin:' || regexp_extract(properties->>'$.description[0]', 'VIN ([A-Z0-9]{{17}})', 1)
            FROM entities WHERE schema = 'Vehicle')
        WHERE vkey IS NOT NULL AND vkey NOT IN ('plate:', 'vin:')""",
    "nw_company_name": f"""
        SELECT DISTINCT {norm("caption")} AS cname, id AS node
        FROM entities WHERE schema IN ('Company', 'Organization', 'LegalEntity') AND caption IS NOT NULL""",
}


def _person(ident_expr: str) -> str:
    """Node of a person named in a record by an identifier (the entity holding it, else the identifier)."""
    key = norm(ident_expr)
    return f"coalesce((SELECT min(node) FROM nw_ident lk_i WHERE lk_i.ident = {key}), 'id:' || {key})"


def _account(expr: str) -> str:
    return f"coalesce((SELECT min(node) FROM nw_account lk_a WHERE lk_a.account = {expr}), 'acct:' || {expr})"


def _vehicle(kind: str, expr: str) -> str:
    key = f"'{kind}:' || {norm(expr)}"
    return f"coalesce((SELECT min(node) FROM nw_vehicle lk_v WHERE lk_v.vkey = {key}), {key})"


def _company(expr: str) -> str:
    key = norm(expr)
    return f"coalesce((SELECT min(node) FROM nw_company_name lk_c WHERE lk_c.cname = {key}), 'name:' || {key})"


_REL = "json_extract_string(properties, '$.{p}[0]')"

#: Raw evidence queries by source name. Every query yields src, dst, etype, ts (TIMESTAMP), amount, record.
EVIDENCE: dict[str, str] = {
    "ownership": f"""
        SELECT {_REL.format(p="owner")} AS src, {_REL.format(p="asset")} AS dst,
            CASE properties->>'$.role[0]' WHEN 'authorized signatory' THEN 'signatory'
                 WHEN 'account holder' THEN 'account_holder' ELSE 'shareholder' END AS etype,
            TRY_CAST(properties->>'$.startDate[0]' AS TIMESTAMP) AS ts, NULL::DOUBLE AS amount, id AS record
        FROM entities WHERE schema = 'Ownership'""",
    "directorship": f"""
        SELECT {_REL.format(p="director")}, {_REL.format(p="organization")}, 'director',
            TRY_CAST(properties->>'$.startDate[0]' AS TIMESTAMP), NULL::DOUBLE, id
        FROM entities WHERE schema = 'Directorship'""",
    "family": f"""
        SELECT {_REL.format(p="person")}, {_REL.format(p="relative")}, 'family', NULL::TIMESTAMP, NULL::DOUBLE, id
        FROM entities WHERE schema = 'Family'""",
    "associate": f"""
        SELECT {_REL.format(p="person")}, {_REL.format(p="associate")}, 'associate',
            NULL::TIMESTAMP, NULL::DOUBLE, id
        FROM entities WHERE schema = 'Associate'""",
    "address": f"""
        SELECT id, {_REL.format(p="addressEntity")}, 'address', NULL::TIMESTAMP, NULL::DOUBLE, id
        FROM entities WHERE schema IN ('Person', 'Company', 'Organization', 'LegalEntity')
          AND properties->>'$.addressEntity[0]' IS NOT NULL""",
    "vehicle_owner": f"""
        SELECT {_REL.format(p="owner")}, id, 'vehicle_owner', NULL::TIMESTAMP, NULL::DOUBLE, id
        FROM entities WHERE schema = 'Vehicle' AND properties->>'$.owner[0]' IS NOT NULL""",
    "shared_identifier": """
        SELECT a.node, b.node, 'shared_identifier', NULL::TIMESTAMP, NULL::DOUBLE, 'id:' || a.ident
        FROM nw_ident a JOIN nw_ident b ON a.ident = b.ident AND a.node < b.node
        WHERE a.ident IN (SELECT ident FROM nw_ident GROUP BY ident HAVING count(*) <= 5)""",
    "money_flow": f"""
        SELECT {_account("debtor_account")}, {_account("creditor_account")}, 'money_flow',
            coalesce(booked_at, CAST(value_date AS TIMESTAMP)),
            CAST(amount AS DOUBLE) * CASE WHEN currency = 'MXN' THEN 0.055 ELSE 1 END, transaction_id
        FROM transactions WHERE debtor_account IS NOT NULL AND creditor_account IS NOT NULL
          AND debtor_account <> creditor_account""",
    "cash_deposit": f"""
        SELECT {_person("conductor_id")}, {_account("creditor_account")}, 'cash_deposit',
            coalesce(booked_at, CAST(value_date AS TIMESTAMP)),
            CAST(amount AS DOUBLE) * CASE WHEN currency = 'MXN' THEN 0.055 ELSE 1 END, transaction_id
        FROM transactions WHERE conductor_id IS NOT NULL AND creditor_account IS NOT NULL""",
    "ctr": f"""
        SELECT {_person("coalesce(person_ssn, person_id_number)")}, {_account("account_number")}, 'ctr',
            CAST(transaction_date AS TIMESTAMP), CAST(coalesce(cash_in, 0) + coalesce(cash_out, 0) AS DOUBLE), report_id
        FROM ctrs WHERE account_number IS NOT NULL AND coalesce(person_ssn, person_id_number) IS NOT NULL""",
    "drove": f"""
        SELECT {_person("driver_id_number")}, {_vehicle("vin", "vin")}, 'drove', crossed_at, NULL::DOUBLE,
            crossing_id
        FROM crossings WHERE driver_id_number IS NOT NULL AND vin IS NOT NULL""",
    "drove_plate": f"""
        SELECT {_person("driver_id_number")}, {_vehicle("plate", "plate")}, 'drove', crossed_at, NULL::DOUBLE,
            crossing_id
        FROM crossings WHERE driver_id_number IS NOT NULL AND vin IS NULL AND plate IS NOT NULL""",
    "carried_by": f"""
        SELECT {_vehicle("vin", "vin")}, {_person("carrier_id")}, 'carried_by', crossed_at, NULL::DOUBLE, crossing_id
        FROM crossings WHERE vin IS NOT NULL AND carrier_id IS NOT NULL""",
    "cmir_conveyance": f"""
        SELECT {_person("coalesce(traveler_id_number, traveler_ssn)")}, {_vehicle("plate", "conveyance_id")},
            'cmir',
            CAST(crossing_date AS TIMESTAMP), CAST(amount AS DOUBLE), report_id
        FROM cmirs WHERE coalesce(traveler_id_number, traveler_ssn) IS NOT NULL AND conveyance_id IS NOT NULL""",
    "cmir_principal": f"""
        SELECT {_person("coalesce(traveler_id_number, traveler_ssn)")}, {_company("on_behalf_of_name")},
            'on_behalf_of',
            CAST(crossing_date AS TIMESTAMP), CAST(amount AS DOUBLE), report_id
        FROM cmirs WHERE coalesce(traveler_id_number, traveler_ssn) IS NOT NULL AND on_behalf_of_name IS NOT NULL""",
    "mx_conveyance": f"""
        SELECT {_person("coalesce(numero_identificacion, curp, rfc)")}, {_vehicle("plate", "identificador_transporte")},
            'cmir', CAST(fecha_cruce AS TIMESTAMP),
            CAST(monto AS DOUBLE) * CASE WHEN moneda = 'MXN' THEN 0.055 ELSE 1 END, folio
        FROM mx_declarations WHERE identificador_transporte IS NOT NULL
          AND coalesce(numero_identificacion, curp, rfc) IS NOT NULL""",
    "mx_principal": f"""
        SELECT {_person("coalesce(numero_identificacion, curp, rfc)")}, {_company("a_nombre_de")}, 'on_behalf_of',
            CAST(fecha_cruce AS TIMESTAMP),
            CAST(monto AS DOUBLE) * CASE WHEN moneda = 'MXN' THEN 0.055 ELSE 1 END, folio
        FROM mx_declarations
        WHERE a_nombre_de IS NOT NULL AND coalesce(numero_identificacion, curp, rfc) IS NOT NULL""",
    "sar_subject": f"""
        SELECT {_person("sar_subject_id")}, 'sar:' || sar_id, 'sar_subject', CAST(filed_date AS TIMESTAMP),
            CAST(total_amount AS DOUBLE), sar_id
        FROM (SELECT sar_id, filed_date, total_amount, unnest(subject_ids) AS sar_subject_id FROM sars)
        WHERE sar_subject_id IS NOT NULL""",
    "sar_account": f"""
        SELECT {_account("sar_account_no")}, 'sar:' || sar_id, 'sar_subject', CAST(filed_date AS TIMESTAMP),
            CAST(total_amount AS DOUBLE), sar_id
        FROM (SELECT sar_id, filed_date, total_amount, unnest(accounts) AS sar_account_no FROM sars)
        WHERE sar_account_no IS NOT NULL""",
}

#: Optional sources: results of other analyses, used when their tables exist in the workspace.
OPTIONAL_EVIDENCE: dict[str, tuple[str, str]] = {
    "screening_hit": (
        "screening_hits",
        """SELECT subject_id, 'list:' || list_name || ':' || entity_id, 'screening_hit', NULL::TIMESTAMP, score,
               run_id || ':' || subject_id || ':' || entity_id
           FROM screening_hits WHERE match AND NOT suppressed""",
    ),
    "same_as": (
        "match_clusters",
        """SELECT a.record_id, b.record_id, 'same_as', NULL::TIMESTAMP, NULL::DOUBLE, a.cluster_id
           FROM match_clusters a JOIN match_clusters b
             ON a.run_id = b.run_id AND a.cluster_id = b.cluster_id AND a.record_id < b.record_id
           WHERE a.cluster_size BETWEEN 2 AND 10 AND a.record_id LIKE 'pte-%' AND b.record_id LIKE 'pte-%'""",
    ),
    # Accounts that moved money in the transactions of one transaction-monitoring alert (latest run): the
    # alert's pattern (fan-in, cycle, layered stack ...) ties every account in it together, like a SAR does.
    "alert_subject": (
        "monitoring_evidence",
        f"""SELECT {_account("x.account")}, 'alert:' || ev.alert_id, 'alert_subject',
               coalesce(t.booked_at, CAST(t.value_date AS TIMESTAMP)),
               CAST(t.amount AS DOUBLE) * CASE WHEN t.currency = 'MXN' THEN 0.055 ELSE 1 END, t.transaction_id
           FROM monitoring_evidence ev
           JOIN monitoring_alerts a ON a.alert_id = ev.alert_id
            AND a.run_id = (SELECT run_id FROM monitoring_runs ORDER BY started_at DESC LIMIT 1)
           JOIN transactions t ON t.transaction_id = ev.transaction_id,
           unnest([t.debtor_account, t.creditor_account]) x(account)
           WHERE x.account IS NOT NULL""",
    ),
}
