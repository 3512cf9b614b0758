"""Files that bring households into the registry and take them out again."""
