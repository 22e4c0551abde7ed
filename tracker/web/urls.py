from django.urls import path, re_path

from tracker.web import api, feeds, views

app_name = "web"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("events/<int:event_id>/", views.event_detail, name="event_short"),
    path("events/<int:event_id>/<slug:slug>/", views.event_detail, name="event"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("jurisdictions/<slug:slug>/", views.jurisdiction_detail, name="jurisdiction"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim"),
    path("search/", views.search, name="search"),
    path("healthz", views.health, name="health"),
    # Feeds: every one takes the timeline's filters as query parameters.
    path("feeds/", views.feeds_index, name="feeds"),
    path("feeds/events.rss", feeds.feed_events_rss, name="feed_events_rss"),
    path("feeds/events.atom", feeds.feed_events_atom, name="feed_events_atom"),
    path("feeds/events.json", feeds.feed_events_json, name="feed_events_json"),
    path("feeds/claims.rss", feeds.feed_claims_rss, name="feed_claims_rss"),
    path("feeds/claims.atom", feeds.feed_claims_atom, name="feed_claims_atom"),
    path("feeds/claims.json", feeds.feed_claims_json, name="feed_claims_json"),
    # JSON API
    path("api/", api.index, name="api_index"),
    path("api/events", api.events, name="api_events"),
    path("api/events/<int:event_id>", api.event, name="api_event"),
    path("api/companies", api.companies, name="api_companies"),
    path("api/companies/<slug:slug>", api.company, name="api_company"),
    path("api/claims", api.claims, name="api_claims"),
    path("api/claims/<int:claim_id>", api.claim, name="api_claim"),
    path("api/search", api.search, name="api_search"),
    re_path(r"^api/(?P<rest>.*)$", api.not_found, name="api_not_found"),
]
