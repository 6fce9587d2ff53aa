"""CDNOW, the real transaction log bundled with cxsim (sim/fit/data/README.md: source, checksum).

23,570 customers who first bought at CDNOW in 1997 Q1 and all their purchases to 1998-06-30
(Fader, Hardie & Lee 2005). Read from the installed package: no network at run time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.fit.transactions import read_transactions

DATA = Path(__file__).resolve().parent / "data"
MASTER = DATA / "CDNOW_master.txt.xz"
SAMPLE_IDS = DATA / "CDNOW_sample_ids.txt"
CALIBRATION_WEEKS = 39  # 1997-01-01 .. 1997-09-30, as in Fader, Hardie & Lee (2005)
HOLDOUT_WEEKS = 39  # 1997-10-01 .. 1998-06-30
# Fader, Hardie & Lee (2005), Table 1: BG/NBD maximum-likelihood estimates on the 1/10 sample.
FHL_SAMPLE_ESTIMATES = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def master() -> pd.DataFrame:
    """Every CDNOW record: customer_id (text, e.g. "00001"), date, amount (US dollars)."""
    return read_transactions(MASTER)


def sample_ids() -> np.ndarray:
    """Master customer ids of the 1/10 sample (2,357), in the sample's order."""
    return np.loadtxt(SAMPLE_IDS, dtype=np.int64)


def sample(records: pd.DataFrame) -> pd.DataFrame:
    """The records of the 1/10 sample's customers (`records` from `master`)."""
    return records[records["customer_id"].astype(np.int64).isin(sample_ids())]
