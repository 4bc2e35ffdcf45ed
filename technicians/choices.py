"""The vocabulary of the technicians app: TextChoices of its contract enums go here; the contract gives it none yet."""
