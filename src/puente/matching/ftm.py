"""FollowTheMoney people and companies in the workspace, flattened into records the matcher reads.

The source of a record is its ``publisher`` (the registry that listed it), so linkage can pair a US registry
with a Mexican one. Only the entity's own properties are used: references to other entities (``addressEntity``)
are not, since two registries never share entity ids in real life.
"""

from __future__ import annotations

import pyarrow as pa

from puente.store.workspace import Workspace

_PERSONS = """
SELECT id AS record_id,
       coalesce(properties->>'$.publisher[0]', 'unknown') AS source,
       coalesce(properties->>'$.firstName[0]', properties->>'$.name[0]') AS given,
       coalesce(properties->>'$.lastName[0]',
                nullif(trim(coalesce(properties->>'$.fatherName[0]', '') || ' '
                            || coalesce(properties->>'$.motherName[0]', '')), '')) AS surnames,
       properties->>'$.birthDate[0]' AS dob,
       list_concat(
         coalesce(CAST(properties->'$.idNumber' AS VARCHAR[]), []),
         coalesce(CAST(properties->'$.taxNumber' AS VARCHAR[]), []),
         coalesce(CAST(properties->'$.passportNumber' AS VARCHAR[]), []),
         coalesce(CAST(properties->'$.socialSecurityNumber' AS VARCHAR[]), [])) AS ids,
       properties->>'$.address[0]' AS address,
       properties->>'$.country[0]' AS country,
       properties->>'$.gender[0]' AS gender
FROM entities WHERE schema = 'Person' ORDER BY id
"""

_COMPANIES = """
SELECT id AS record_id,
       coalesce(properties->>'$.publisher[0]', 'unknown') AS source,
       properties->>'$.name[0]' AS name,
       coalesce(CAST(properties->'$.taxNumber' AS VARCHAR[]), []) AS ids,
       properties->>'$.incorporationDate[0]' AS incorporated,
       coalesce(properties->>'$.jurisdiction[0]', properties->>'$.country[0]') AS country
FROM entities WHERE schema = 'Company' ORDER BY id
"""


def person_records(ws: Workspace) -> pa.Table:
    """One row per FtM Person: record_id, source, given, surnames, dob, ids, address, country, gender."""
    return ws.query(_PERSONS)


def company_records(ws: Workspace) -> pa.Table:
    """One row per FtM Company: record_id, source, name, ids, incorporated, country."""
    return ws.query(_COMPANIES)
