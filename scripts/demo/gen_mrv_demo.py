#!/usr/bin/env python3
"""Writes data/demo/mrv.json: fictitious power plants of the demo enterprises with monthly
monitoring data for 2024, 2025 and January–September 2026, and the verification steps the demo
loader replays. Deterministic (fixed seed); rerun after changing it and commit the JSON.
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
    out = Path(__file__).resolve().parents[2] / "data" / "demo" / "mrv.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
