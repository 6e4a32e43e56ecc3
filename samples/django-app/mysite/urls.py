"""One page that says the site is up."""
from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("", lambda request: HttpResponse("Django sample is up"))]
