"""Counts the SQL statements of each request (``X-Queries``), for the benchmark only.

Installed first in the middleware stack by settings when ``BENCH_COUNT_QUERIES`` is on, so the
count includes what the session, authentication and other middleware run. It wraps the
connection instead of turning on ``DEBUG``'s query log, so the server under test stays in
production mode."""

from __future__ import annotations

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        connection = connections["default"]
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response
