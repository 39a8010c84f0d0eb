from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from services import registry


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"modules": registry.modules()})
