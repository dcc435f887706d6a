"""The domain of huanjie: cadres, townships, rulesets, scenarios, slates and the
referee that checks any slate against every rule. Knows nothing of CP-SAT."""
