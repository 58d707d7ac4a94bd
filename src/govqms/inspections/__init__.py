"""DoST inspections under Circular 26/2014/TT-BKHCN: yearly plan, on-site sample,
decision, minutes, findings and the agency's corrective report."""
