#!/usr/bin/env python3
"""Writes data/demo/mrv.json: fictitious power plants of the demo enterprises with monthly
monitoring data for 2024, 2025 and January–September 2026, three industrial facilities (steel,
aluminium, cement) whose 2024 months are the documented calculator examples of docs/calc/, and
the verification steps the demo loader replays. Deterministic (fixed seed); rerun after changing it and commit the JSON.
All figures are invented, but consistent with rated capacity and plausible efficiencies, so that
they pass the accounting engine's checks."""
import calendar
import json
import random
from pathlib import Path

rnd = random.Random(20241231)

PLANTS = [
    ("ent-bt-power", "包头朔原发电有限公司 一期", [("#1", "1号机组 600MW 空冷供热", "coal_conventional", False, 600, "air", True),
                                           ("#2", "2号机组 300MW 循环流化床", "coal_unconventional", True, 300, "air", False)]),
    ("ent-hh-power", "呼和浩特青岚热电 热电联产", [("#1", "1号机组 350MW 供热", "coal_conventional", False, 350, "air", True),
                                            ("#2", "2号机组 350MW 供热", "coal_conventional", False, 350, "air", True)]),
    ("ent-cf-power", "赤峰霁川热电", [("#1", "1号机组 330MW", "coal_conventional", False, 330, "water", True)]),
    ("ent-tl-power", "通辽朔北发电", [("#1", "1号机组 660MW", "coal_conventional", False, 660, "air", False),
                                 ("#2", "2号机组 660MW", "coal_conventional", False, 660, "air", False)]),
    ("ent-eds-power", "鄂尔多斯蔚垣发电", [("#1", "1号机组 1000MW", "coal_conventional", False, 1000, "air", False),
                                    ("#2", "燃机 200MW 调峰", "gas", False, 200, "water", False)]),
    ("ent-hlbr-power", "呼伦贝尔岚原热电", [("#1", "1号机组 300MW 褐煤 供热", "coal_conventional", False, 300, "air", True)]),
    ("ent-wlcb-power", "乌兰察布岱垣发电", [("#1", "1号机组 600MW", "coal_conventional", False, 600, "air", False)]),
    ("ent-xlgl-power", "锡林郭勒蔚原发电", [("#1", "1号机组 660MW 褐煤", "coal_conventional", False, 660, "air", False)]),
]


def month_data(unit, year, m):
    uid, name, ftype, cfb, cap, _cool, heat = unit
    hours = calendar.monthrange(year, m)[1] * 24
    load = rnd.uniform(0.42, 0.78)
    gen = round(cap * hours * load, 3)
    supply = round(gen * (0.93 if ftype != "gas" else 0.975), 3)
    heat_gj = round(rnd.uniform(150000, 420000) * cap / 600, 2) if heat and m in (1, 2, 3, 4, 10, 11, 12) else 0
    d = {"unit_id": uid, "month": m, "generation_mwh": gen, "supply_mwh": supply, "heat_supplied_gj": heat_gj,
         "purchased_electricity_mwh": 0, "load_rate": round(gen / (cap * hours), 4), "meter_evidence": f"{uid}-{year}{m:02d}-METER"}
    if ftype == "gas":
        d["fuels"] = [{"fuel": "natural_gas", "consumption": round((gen * 3.6 / 0.55) / 389.31, 2)}]
        return d
    fuel = "coal_gangue" if cfb else ("lignite" if "褐煤" in name else "bituminous")
    lo, hi = (12.2, 13.6) if cfb else ((13.8, 15.6) if fuel == "lignite" else (18.6, 22.4))
    ncv = round(rnd.uniform(lo, hi), 3)
    energy = gen * 3.6 / 0.40 + heat_gj / 0.88
    f = {"fuel": fuel, "consumption": round(energy / ncv, 2), "ncv": ncv, "ncv_evidence": f"LAB-{year}{m:02d}-{uid}-NCV"}
    if not (m == 7 and uid == "#2"):  # one month without a measured carbon content: the default applies
        f["carbon_tc_per_gj"] = round(rnd.uniform(0.0262, 0.0284), 5)
        f["carbon_evidence"] = f"CNAS-L{rnd.randint(1000, 9999)}-{year}{m:02d}"
    d["fuels"] = [f] + ([{"fuel": "diesel", "consumption": round(rnd.uniform(8, 30), 2)}] if m in (3, 9) else [])
    return d


ROOT = Path(__file__).resolve().parents[2]


def industry_months(example):
    """The calculator example's months as the workflow's month documents (calc/industry_facility.h):
    steel captive power units and cement clinker lines move inside the month they belong to."""
    if example["calculator_input"] == "cement":
        by_month = {}
        for m in example["months"]:
            line = {k: v for k, v in m.items() if k != "month"}
            by_month.setdefault(m["month"], []).append(line)
        return [{"month": month, "lines": lines} for month, lines in sorted(by_month.items())]
    docs = {m["month"]: dict(m) for m in example["months"]}
    for unit in example.get("power_units", []):
        for um in unit["months"]:
            entry = {"id": unit["id"], **{k: v for k, v in um.items() if k != "month"}}
            docs[um["month"]].setdefault("power_units", []).append(entry)
    return [docs[k] for k in sorted(docs)]


def scaled(doc, factor):
    """A month of a later year: every quantity scaled, measured parameters kept."""
    keep = {"month", "ncv", "carbon_tc_per_gj", "oxidation_rate", "anode_effect_minutes", "net_anode_t_per_t_al",
            "anode_sulfur_fraction", "anode_ash_fraction"}
    if isinstance(doc, dict):
        return {k: (v if k in keep or isinstance(v, str) else scaled(v, factor)) for k, v in doc.items()}
    if isinstance(doc, list):
        return [scaled(v, factor) for v in doc]
    if isinstance(doc, (int, float)) and not isinstance(doc, bool):
        return round(doc * factor, 2)
    return doc


INDUSTRY = [
    # (org ref, facility name, sector, example file)
    ("ent-bt-steel", "包头岱川钢铁 长流程钢铁联合企业", "steel", "steel-emissions.json"),
    ("ent-tl-alu", "通辽铧澜铝业 电解铝厂", "aluminium", "aluminium-emissions.json"),
    ("ent-wh-cement", "乌海峪石水泥 熟料生产线", "cement", "cement-emissions.json"),
]


def industry_facilities():
    out = []
    for ref, name, sector, example_file in INDUSTRY:
        example = json.loads((ROOT / "docs" / "calc" / example_file).read_text(encoding="utf-8"))
        example["calculator_input"] = sector
        profile = None
        if sector == "cement":
            profile = {"lines": example["lines"]}
        elif sector == "steel" and example.get("power_units"):
            profile = {"power_units": [{"id": u["id"], "name": u.get("name", "")} for u in example["power_units"]]}
        elif sector == "aluminium" and example.get("parameters"):
            profile = {"parameters": example["parameters"]}
        months_2024 = industry_months(example)
        fac = {"org_ref": ref, "name": name, "sector": sector, "data": {
            "2024": months_2024,
            "2025": [scaled(m, 0.97) for m in months_2024],
            "2026": [scaled(m, 0.95) for m in months_2024 if m["month"] <= 9],
        }}
        if profile is not None:
            fac["profile"] = profile
        out.append(fac)
    return out


def main():
    facilities = []
    for ref, name, units in PLANTS:
        fac = {"org_ref": ref, "name": name,
               "units": [{"id": u[0], "name": u[1], "fuel_type": u[2], "cfb": u[3], "capacity_mw": u[4], "cooling": u[5],
                          "supplies_heat": u[6]} for u in units],
               "data": {}}
        for year, last in ((2024, 12), (2025, 12), (2026, 9)):
            fac["data"][str(year)] = [month_data(u, year, m) for m in range(1, last + 1) for u in units]
        facilities.append(fac)
    facilities += industry_facilities()  # indexes 8 (steel), 9 (aluminium), 10 (cement)
    workflow = [
        {"facility": 0, "year": 2024, "steps": ["submit", "assign:ver-qingli", "finding", "respond", "conclude", "confirm"]},
        {"facility": 1, "year": 2024, "steps": ["submit", "assign:ver-qingli", "conclude", "confirm"]},
        {"facility": 2, "year": 2024, "steps": ["submit", "assign:ver-chengjian", "conclude", "confirm"]},
        {"facility": 3, "year": 2024, "steps": ["submit", "assign:ver-chengjian", "conclude", "confirm"]},
        {"facility": 4, "year": 2024, "steps": ["submit", "assign:ver-hengzhun", "conclude", "confirm"]},
        {"facility": 5, "year": 2024, "steps": ["submit", "assign:ver-hengzhun", "conclude"]},
        {"facility": 6, "year": 2024, "steps": ["submit", "assign:ver-qingli"]},
        {"facility": 7, "year": 2024, "steps": ["submit"]},
        {"facility": 0, "year": 2025, "steps": ["submit", "assign:ver-qingli"]},
        {"facility": 1, "year": 2025, "steps": ["submit"]},
        {"facility": 4, "year": 2025, "steps": ["submit", "assign:ver-chengjian"]},
        {"facility": 8, "year": 2024, "steps": ["submit", "assign:ver-qingli", "conclude", "confirm"]},
        {"facility": 9, "year": 2024, "steps": ["submit", "assign:ver-qingli"]},
        {"facility": 10, "year": 2024, "steps": ["submit", "assign:ver-chengjian", "conclude", "confirm"]},
    ]
    doc = {
        "source": "fictitious demo data (虚构示范数据), written by scripts/demo/gen_mrv_demo.py: plants, units and monitoring "
                  "figures are invented, consistent with rated capacity and plausible efficiencies. Rules and factors come "
                  "from data/carbon/.",
        "conflicts": [{"verifier_ref": "ver-hengzhun", "enterprise_ref": "ent-bt-power",
                       "reason": "2023年为该企业提供碳资产管理咨询（虚构示范数据）"}],
        "finding": {"description": "1号机组3月入炉煤低位发热量与化验报告复核结果不符，按复核报告调整（虚构示范数据）",
                    "unit_id": "#1", "month": 3, "fuel": "bituminous", "field": "ncv", "delta": "0.350",
                    "response": "认可核查意见，已更正化验台账（虚构示范数据）"},
        "items": facilities,
        "workflow": workflow,
    }
    out = ROOT / "data" / "demo" / "mrv.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
