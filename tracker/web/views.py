from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tracker.events.selectors import event_list_with_articles


def timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/timeline.html", {"events": event_list_with_articles()})
