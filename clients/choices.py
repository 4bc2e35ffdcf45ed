"""The vocabulary of the clients app: TextChoices of its contract enums go here; the contract gives it none yet."""
