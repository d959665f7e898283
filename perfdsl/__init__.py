"""perfdsl: write a project-expenditure performance evaluation once, as data; check and score it;
generate the 评价报告 and 自评表 from it."""

__version__ = "0.1.0"
