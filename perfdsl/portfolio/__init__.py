"""The portfolio: many evaluations at a glance — a row per evaluation, a row per 主管部门, the
totals — for the 主管部门 that collects its units' files and the 财政局 that reviews them all."""
