"""The one error shape of the API: `{"code": "...", "message": "中文说明"}`, plus `errors`
(a list of row problems) for batch writes. Every refusal, from the token check in the
middleware to a route's own `HttpError`, answers in this shape."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def error_body(status: int, message: str, code: str = "", **extra: object) -> dict:
    return {"code": code or CODES.get(status, "error"), "message": message, **extra}


def error_response(status: int, message: str, code: str = "", **extra: object) -> JsonResponse:
    response = JsonResponse(error_body(status, message, code, **extra), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="baozheng"'
    return response


def install(api) -> None:
    """Route django-ninja's own errors (authentication, validation, HttpError, 404) into the
    shape above, in Chinese."""
    from django.http import Http404
    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: Exception) -> JsonResponse:
        return error_response(401, "请先登录，或在 Authorization 头中提供接口令牌（Bearer）")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> JsonResponse:
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> JsonResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body'))}："
            f"{e.get('msg', '')}"
            for e in exc.errors
        ]
        return error_response(422, "请求参数有误：" + "；".join(problems))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Exception) -> JsonResponse:
        return error_response(404, "找不到请求的对象")
