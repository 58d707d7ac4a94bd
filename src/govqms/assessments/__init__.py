"""The DoST's yearly assessment of how each agency maintains its QMS: criteria sets,
auto-scored rules, campaigns, self-assessment, appraisal, contest, ratings."""
