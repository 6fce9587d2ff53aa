"""Fitting the model to real customers: a transaction log in, BG/NBD beside it, the holdout.

Read in this order: `transactions` (a log in, checked), `window` (calibration and holdout
weeks), `summary` and `statistics` (customer-base analysis of a cohort, real or simulated),
`cdnow` (the bundled real log), `bgnbd` (the benchmark, PyMC-Marketing), `cohort` and
`simulation` (a simulated cohort shaped like the real one), `distance` and `calibration` (the
objective and the search), `comparison` (actual, cxsim and BG/NBD side by side), `fitting`
(the steps in order), `figures`, `report`, `saving`, `commands` (`run.py fit`). docs/fit.md is
the user guide.
"""
