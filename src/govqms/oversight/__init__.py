"""DoST oversight: conformity announcements, the Decision 19/2014 lifecycle of each
agency and the formalism signals the DoST looks at."""
