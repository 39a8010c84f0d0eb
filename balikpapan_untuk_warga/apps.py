from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "balikpapan_untuk_warga"
    verbose_name = "Balikpapan Untuk Warga"
