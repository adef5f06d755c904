"""The conduct policy: load a policy file, check a call, explain the verdict (pure Python)."""
