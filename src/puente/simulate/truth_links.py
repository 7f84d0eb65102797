"""Ground truth of who appears in which record: ``truth/record_parties.parquet``.

Declarations, CTRs and SARs carry explicit links (with the noise applied when the record was written);
crossings are numerous, so their drivers are linked with vectorised Arrow operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from puente.simulate.arrowize import prefixed_ids
from puente.simulate.declarations import party_id
from puente.simulate.world import World

if TYPE_CHECKING:
    from pathlib import Path

    from puente.simulate.truth import TruthInputs


def write_record_parties(t: TruthInputs, out: Path) -> None:
    ids = {("cmirs", j): rid for (table, j), rid in t.decl_ids.items() if table == "cmirs"}
    ids.update({("mx_declarations", j): rid for (table, j), rid in t.decl_ids.items() if table == "mx_declarations"})
    ctr_ids = t.ctrs.column("report_id").to_pylist()
    sar_ids = t.sars.column("sar_id").to_pylist()
    links = t.decl.links + t.ctr_links + t.sar_links
    tables, rids, roles, parties, noise = [], [], [], [], []
    for link in links:
        if link.table == "ctrs":
            rid = ctr_ids[link.record_key]
        elif link.table == "sars":
            rid = sar_ids[link.record_key]
        else:
            rid = ids[(link.table, link.record_key)]
        tables.append(link.table)
        rids.append(rid)
        roles.append(link.role)
        parties.append(link.party)
        noise.append(link.noise)
    # typology transactions carried out by a third party (conductor)
    conductor = np.flatnonzero(t.typ.conductor >= 0)
    for rid, person in zip(
        prefixed_ids("TX", t.typ_numbers[conductor], 11).to_pylist(), t.typ.conductor[conductor].tolist(), strict=True
    ):
        tables.append("transactions")
        rids.append(rid)
        roles.append("conductor")
        parties.append(party_id(person))
        noise.append(["accents_dropped"])
    small = pa.table(
        {
            "record_table": tables,
            "record_id": rids,
            "role": roles,
            "party_id": parties,
            "noise": pa.array(noise, pa.list_(pa.string())),
        }
    )
    # every crossing's driver (vectorised: crossings are numerous)
    has_driver = t.crossing_drivers >= 0
    cross = t.crossings.filter(pa.array(has_driver))
    driver_idx = t.crossing_drivers[has_driver]
    bulk = pa.table(
        {
            "record_table": pa.array(["crossings"] * cross.num_rows, pa.string()),
            "record_id": cross.column("crossing_id").combine_chunks(),
            "role": pa.array(["driver"] * cross.num_rows, pa.string()),
            "party_id": prefixed_ids("P", driver_idx, 7),
            "noise": _cbp_noise(t.world).take(pa.array(driver_idx)),
        }
    )
    pq.write_table(pa.concat_tables([small, bulk]), out / "record_parties.parquet", compression="zstd")


def _cbp_noise(world: World) -> pa.Array:
    """Noise of each person's CBP-style name (upper case, no accents, paternal surname only)."""
    p = world.persons
    full = pa.array([p.full_name(i) for i in range(len(p))])
    plain = pc.replace_substring_regex(pc.utf8_normalize(full, "NFD"), r"\p{Mn}", "")
    accents = pc.not_equal(full, plain).to_numpy(zero_copy_only=False)
    noise = [
        [k for k, hit in (("maternal_missing", m is not None), ("accents_dropped", a)) if hit]
        for m, a in zip(p.maternal, accents.tolist(), strict=True)
    ]
    return pa.array(noise, pa.list_(pa.string()))
