"""The effective configuration: what Celery and Django actually use, not what we meant to write."""

import subprocess
import sys

from django.conf import settings

from tracker.celery import app


def test_every_celery_setting_is_one_celery_knows():
    # A misspelled CELERY_* setting is silently ignored by Celery; catch it here.
    known = {key.upper() for key in app.conf}
    ours = [name for name in dir(settings) if name.startswith("CELERY_")]
    unknown = [name for name in ours if name.removeprefix("CELERY_") not in known]
    assert ours, "no CELERY_ settings found"
    assert unknown == [], f"Celery ignores these settings: {unknown}"


def test_effective_celery_configuration():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.timezone == "UTC"


def test_eager_exactly_when_no_broker():
    assert _effective("settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL", {}) == "True memory://"
    with_broker = _effective(
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND",
        {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"},
    )
    assert with_broker == "False redis://127.0.0.1:6379/3 redis://127.0.0.1:6379/3"


def test_beat_schedule_points_at_registered_tasks():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name!r} names unknown task {entry['task']!r}"


def _check_deploy(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-a-long-random-looking-production-secret-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "tracker.example",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _check_deploy({})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = _check_deploy({"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _effective(expression: str, env_overrides: dict[str, str]) -> str:
    env = {"PATH": "/usr/bin:/bin", **env_overrides}
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tracker.settings'; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cache_is_shared_between_processes_when_real_services_are_used():
    # Alias changes and the pipeline's lock must reach every worker: no per-process cache there.
    expr = "settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION')"
    assert "LocMemCache" in _effective(expr, {})
    with_broker = _effective(expr, {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"})
    assert "RedisCache" in with_broker and "redis://127.0.0.1:6379/3" in with_broker
    explicit = _effective(expr, {"CELERY_BROKER_URL": "redis://h:6379/3", "CACHE_URL": "redis://c:6379/1"})
    assert "redis://c:6379/1" in explicit


def test_scraper_politeness_is_shared_through_redis_when_real_services_are_used():
    # Workers on several machines crawl the same outlets; each keeping its own spacing would not
    # be polite. The embedded default is one process and needs no Redis.
    expr = "repr(settings.SCRAPER_THROTTLE_URL)"
    assert _effective(expr, {}) == "''"
    assert _effective(expr, {"CELERY_BROKER_URL": "redis://b:6379/3"}) == "'redis://b:6379/3'"
    assert _effective(expr, {"CELERY_BROKER_URL": "amqp://b:5672//"}) == "''"
    with_cache = {"CELERY_BROKER_URL": "redis://b:6379/3", "CACHE_URL": "redis://c:6379/1"}
    assert _effective(expr, with_cache) == "'redis://c:6379/1'"
    explicit = {**with_cache, "SCRAPER_THROTTLE_URL": "redis://t:6379/5"}
    assert _effective(expr, explicit) == "'redis://t:6379/5'"
