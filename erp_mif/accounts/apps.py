from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "erp_mif.accounts"
    label = "accounts"
    verbose_name = "Comptes"
