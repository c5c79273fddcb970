"""Synthesise many county-level governments shaped like Yueqing, with years of records each.

    python bench/generate_governments.py --triples 1M --out DIR [--years 5]

Government 0 *is* Yueqing (the packaged knowledge graph under the default base IRI, so the
named questions ask about it); government i > 0 is a copy moved to
``https://w3id.org/govkg/gov-NNN/`` with its own variations: 0–6 more departments and 0–2
more vice-mayor posts (each with a portfolio of departments), all citing the clauses the
originals cite. Each government gets ``years`` years of synthetic records
(:mod:`govkg.validation.synthetic`, about 3,500 a year, 2 % of them breaking a rule), with its
own seed and its own IRIs. Enough governments are made to reach ``--triples``.

Writes one N-Triples file per graph and ``manifest.json``: ``{"graphs": {iri: file},
"records": {iri: count}, "triples": n, "governments": n}``. The shared graphs (legal text,
ontology, shapes) are written once.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import pyoxigraph as ox
from govkg import dataset
from govkg.iris import DEFAULT_BASE
from govkg.validation.synthetic import BASE as RECORDS_BASE
from govkg.validation.synthetic import RECORDS_PER_YEAR, Generator

GK = "https://w3id.org/govkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LR = DEFAULT_BASE + "eli/lzf/2022/11/"


def size(text: str) -> int:
    """``1M`` -> 1_000_000, ``250k`` -> 250_000."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def base(i: int) -> str:
    return DEFAULT_BASE if i == 0 else f"https://w3id.org/govkg/gov-{i:03d}/"


def _t(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> {o} .\n"


def variations(i: int, b: str) -> list[str]:
    """Government ``i``'s extra departments and vice-mayor posts (none for Yueqing)."""
    if i == 0:
        return []
    lines = []
    ids = b + "id/"
    departments = [f"{ids}body/department-{k}" for k in range(i % 7)]
    for k, body in enumerate(departments):
        lines += [_t(body, RDF_TYPE, f"<{GK}Body>"),
                  _t(body, LABEL, f'"第{k + 1}工作部门"@zh-hans'),
                  _t(body, LABEL, f'"working department {k + 1}"@en'),
                  _t(body, ORG + "classification", f"<{GK}body-working-department>"),
                  _t(body, ORG + "subOrganizationOf", f"<{ids}body/government>"),
                  _t(body, PROV + "wasDerivedFrom", f"<{b}eli/lzf/2022/11/art_4/para_1>")]
    for k in range(i % 3):
        post = f"{ids}post/vice-mayor-{k + 1}"
        lines += [_t(post, RDF_TYPE, f"<{GK}Post>"),
                  _t(post, LABEL, f'"副市长（第{k + 1}分管）"@zh-hans'),
                  _t(post, GK + "specialisationOf", f"<{ids}post/vice-mayor>"),
                  _t(post, ORG + "postIn", f"<{ids}body/government>"),
                  _t(post, PROV + "wasDerivedFrom", f"<{b}eli/lzf/2022/11/art_9/para_1>")]
        lines += [_t(post, GK + "portfolio", f"<{d}>") for d in departments[k::3]]
    return lines


def write_government(i: int, years: int, out: Path) -> tuple[dict[str, str], int, int]:
    """Write government ``i``; return ({graph: file}, triples, records)."""
    b = base(i)
    folder = out / f"gov-{i:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    kg = folder / "kg.nt"
    count = 0
    with kg.open("w", encoding="utf-8") as f:
        for quad in dataset.quads("kg", b):
            f.write(f"{quad.subject} {quad.predicate} {quad.object} .\n")
            count += 1
        for line in variations(i, b):
            f.write(line)
            count += 1
    records = folder / "records.nt"
    n_records = years * RECORDS_PER_YEAR
    own = f"{RECORDS_BASE}gov-{i:03d}/"
    with records.open("w", encoding="utf-8") as f:
        for line in Generator(n_records, seed=1000 + i).lines():
            if i:
                line = line.replace(DEFAULT_BASE, b).replace(RECORDS_BASE, own)
            f.write(line)
            count += line.count(" .\n")
    graphs = {f"{b}graph/kg": str(kg), f"{b}graph/records": str(records)}
    return graphs, count, n_records


def generate(target: int, out: Path, years: int = 5) -> dict:
    """Write enough governments for ``target`` triples into ``out``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"graphs": {}, "records": {}, "triples": 0, "governments": 0}
    for name in ("legal", "ontology", "shapes"):
        path = out / f"{name}.nt"
        triples = [q.triple for q in dataset.quads(name)]
        path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        manifest["graphs"][dataset.graph_iri(name)] = str(path)
        manifest["triples"] += len(triples)
    graphs, count, records = write_government(0, years, out)
    per_government = count
    total = math.ceil(max(target - manifest["triples"], count) / per_government)
    for i in range(total):
        if i:
            graphs, count, records = write_government(i, years, out)
        manifest["graphs"].update(graphs)
        manifest["records"][f"{base(i)}graph/records"] = records
        manifest["triples"] += count
        manifest["governments"] += 1
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="1M", help="target size, e.g. 1M or 10M")
    parser.add_argument("--years", type=int, default=5, help="years of records per government")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    manifest = generate(size(args.triples), args.out, args.years)
    print(f"{manifest['governments']} governments, {manifest['triples']:,} triples, "
          f"{sum(manifest['records'].values()):,} records in {args.out}")


if __name__ == "__main__":
    main()
