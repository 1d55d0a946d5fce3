"""A CSV shaped like the public 7,043-row telco churn teaching data set (IBM sample).

    python bench/telco_like.py OUT.csv [--rows 7043] [--seed 1]

Same 21 English columns (customerID … MonthlyCharges, TotalCharges, Churn), customer IDs
like ``7590-VHVEG``, monthly charges 18.25–118.75 with the same two humps, and the
blank TotalCharges cells of customers in their first month. No names, no phones: the
list a user would try first, where ``MonthlyCharges`` has to map to 月均消费.
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import sys
from pathlib import Path

COLUMNS = [
    "customerID", "gender", "SeniorCitizen", "Partner", "Dependents", "tenure",
    "PhoneService", "MultipleLines", "InternetService", "OnlineSecurity", "OnlineBackup",
    "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies", "Contract",
    "PaperlessBilling", "PaymentMethod", "MonthlyCharges", "TotalCharges", "Churn",
]  # fmt: skip
PAYMENT = ["Electronic check", "Mailed check", "Bank transfer (automatic)",
           "Credit card (automatic)"]  # fmt: skip


def _row(rng: random.Random, used: set[str]) -> list:
    while True:
        cid = f"{rng.randint(0, 9999):04d}-" + "".join(rng.choices(string.ascii_uppercase, k=5))
        if cid not in used:
            used.add(cid)
            break
    internet = rng.choices(["DSL", "Fiber optic", "No"], [34, 44, 22])[0]
    if internet == "No":
        charges = rng.uniform(18.25, 26.0)
    elif internet == "DSL":
        charges = rng.uniform(23.0, 95.0)
    else:
        charges = rng.uniform(68.0, 118.75)
    tenure = 0 if rng.random() < 0.0016 else rng.randint(1, 72)

    def yes_no(p: float) -> str:
        return "Yes" if rng.random() < p else "No"

    def extra(p: float) -> str:
        return "No internet service" if internet == "No" else yes_no(p)

    total = "" if tenure == 0 else f"{charges * tenure * rng.uniform(0.95, 1.05):.2f}"
    phone = yes_no(0.9)
    return [
        cid, rng.choice(["Male", "Female"]), int(rng.random() < 0.16), yes_no(0.48),
        yes_no(0.3), tenure, phone,
        "No phone service" if phone == "No" else yes_no(0.42), internet, extra(0.29),
        extra(0.34), extra(0.34), extra(0.29), extra(0.38), extra(0.39),
        rng.choices(["Month-to-month", "One year", "Two year"], [55, 21, 24])[0],
        yes_no(0.59), rng.choice(PAYMENT), round(charges, 2),
        " " if total == "" else total, yes_no(0.265),
    ]  # fmt: skip


def write_telco_like(path: Path, rows: int = 7043, seed: int = 1) -> Path:
    rng = random.Random(seed)
    used: set[str] = set()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for _ in range(rows):
            writer.writerow(_row(rng, used))
    return Path(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=7043)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_telco_like(args.out, args.rows, args.seed)
    print(f"{args.out}：{args.rows} 行")
    return 0


if __name__ == "__main__":
    sys.exit(main())
