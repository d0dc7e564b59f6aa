"""Jinja templates of the server-rendered pages (sign in, change password, too many attempts).

Kept as Python strings so that they ship with the package whatever the installer does with
non-Python files. Rendered with Flask's autoescaping (names end in .html).
"""

from __future__ import annotations

BASE = """<!doctype html>
<html lang="{{ lang }}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{{ heading }} · {{ t('app.title') }}</title>
  <link rel="icon" href="/_favicon.ico">
  <link rel="stylesheet" href="/assets/app.css">
  <link rel="stylesheet" href="/assets/auth.css">
</head>
<body class="auth-body">
  <main class="auth-card">
    <div class="auth-top">
      <div class="auth-brand">
        <div class="brand-mark" aria-hidden="true">VX</div>
        <div>
          <div class="auth-brand-title">{{ t('app.title') }}</div>
          <div class="auth-brand-subtitle">{{ t('app.subtitle') }}</div>
        </div>
      </div>
      {% if lang_links %}
      <nav class="auth-lang" aria-label="{{ t('nav.lang') }}">
        {% for code, href in lang_links %}
        <a href="{{ href }}" lang="{{ code }}"
           {% if code == lang %}aria-current="true"{% endif %}>{{ code | upper }}</a>
        {% endfor %}
      </nav>
      {% endif %}
    </div>
    <h1 class="auth-heading">{{ heading }}</h1>
    {% if notice %}<p class="auth-notice" role="status">{{ notice }}</p>{% endif %}
    {% block content %}{% endblock %}
  </main>
</body>
</html>
"""

# One labelled input with its error beside it (aria-describedby ties them for screen readers).
FIELD = """{% macro field(name, label, type, autocomplete, value='', hint=None) -%}
{%- set error = errors.get(name) -%}
{%- set described = ([name ~ '-error'] if error else []) + ([name ~ '-hint'] if hint else []) -%}
<div class="auth-field{% if error %} auth-field-invalid{% endif %}">
  <label for="{{ name }}">{{ label }}</label>
  <input id="{{ name }}" name="{{ name }}" type="{{ type }}" autocomplete="{{ autocomplete }}"
         {% if type == 'text' %}autocapitalize="none" spellcheck="false"{% endif %}
         value="{{ value }}" required
         {% if name == focus %}autofocus{% endif %}
         {% if error %}aria-invalid="true"{% endif %}
         {% if described %}aria-describedby="{{ described | join(' ') }}"{% endif %}>
  {% if hint %}<p id="{{ name }}-hint" class="auth-hint">{{ hint }}</p>{% endif %}
  {% if error %}
  <p id="{{ name }}-error" class="auth-error" role="alert">{{ error }}</p>
  {% endif %}
</div>
{%- endmacro %}
"""

LOGIN = """{% extends "vx/base.html" %}
{% from "vx/field.html" import field with context %}
{% block content %}
<form method="post" action="{{ action }}" class="auth-form" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  {{ field('username', t('login.username'), 'text', 'username', username) }}
  {{ field('password', t('login.password'), 'password', 'current-password') }}
  <button type="submit" class="auth-submit">{{ t('login.submit') }}</button>
</form>
{% endblock %}
"""

PASSWORD = """{% extends "vx/base.html" %}
{% from "vx/field.html" import field with context %}
{% block content %}
<form method="post" action="{{ action }}" class="auth-form" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  {{ field('current', t('password.current'), 'password', 'current-password') }}
  {{ field('new', t('password.new'), 'password', 'new-password', hint=hint) }}
  {{ field('confirm', t('password.confirm'), 'password', 'new-password') }}
  <button type="submit" class="auth-submit">{{ t('password.submit') }}</button>
</form>
<div class="auth-footer">
  {% if not must_change %}<a href="{{ back }}">{{ t('password.back') }}</a>{% endif %}
  <form method="post" action="/logout" class="auth-logout">
    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
    <button type="submit" class="auth-link-button">{{ t('nav.logout') }}</button>
  </form>
</div>
{% endblock %}
"""

TOO_MANY = """{% extends "vx/base.html" %}
{% block content %}
<p class="auth-error" role="alert">{{ t('ratelimit.body') }}</p>
<p><a href="{{ back }}">{{ t('ratelimit.back') }}</a></p>
{% endblock %}
"""

TEMPLATES: dict[str, str] = {
    "vx/base.html": BASE,
    "vx/field.html": FIELD,
    "vx/login.html": LOGIN,
    "vx/password.html": PASSWORD,
    "vx/too_many.html": TOO_MANY,
}
