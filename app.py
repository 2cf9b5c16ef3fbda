"""The Starlette application: settings → Tortoise → GraphQL route, middleware, lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from cross_web import HTTPException
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, get_operation_ast, parse
from graphql import OperationType as DocumentOperation
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from tortoise.connection import get_connection
from tortoise.contrib.starlette import RegisterTortoise

from domain.member import Passwords
from infra import data_version, graphiql, refusals, shared_redis
from infra.body_limit import BodySizeLimitMiddleware
from infra.browser_access import cors
from infra.cached_reads import LOOKUP, CachedGetMiddleware, Lookup, cache_headers, cached_response
from infra.client_limits import ClientConcurrencyLimit
from infra.compression import Compression
from infra.db import apply_migrations, connection_name, tortoise_config
from infra.events import EventBus, event_bus
from infra.mail import Mailer
from infra.persisted_queries import PersistedQueries, PersistedQueryError
from infra.rate_limits import RateLimits, client_address
from infra.request_guard import PARAMETERS, GraphQLRequestGuard, TimeBudgetMiddleware
from infra.request_id import RequestIdMiddleware
from infra.response_cache import Entry, ResponseCache, request_identity
from infra.settings import Settings, put_in_force
from resolvers.context import RequestContext
from resolvers.member import deployment_secret
from resolvers.ranking_snapshot import load_snapshot, save_snapshot
from resolvers.signals import keep_releasing_held_reviews
from schema import build_schema
from schema.node import ids_in_force

logger = logging.getLogger("workcred")
HTTP_OPERATIONS = {"GET": {OperationType.QUERY}, "POST": {OperationType.QUERY, OperationType.MUTATION}}


class RefusedRequest(Exception):
    def __init__(self, refusal: refusals.Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
MAX_SUBSCRIPTIONS_PER_CONNECTION = 20


class WorkcredGraphQL(GraphQL[RequestContext, None]):
    def __init__(
        self, settings: Settings, passwords: Passwords, events: EventBus, redis: Any, namespace: str
    ) -> None:
        self.mailer = Mailer(settings.smtp_server, settings.mail_from)
        self.secret = b""  # the deployment's, read when the app starts (lifespan)
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
            allowed_origins=settings.cors_origin_list,  # pages that may open the WebSocket too
        )
        self.settings = settings
        self.passwords = passwords
        self.events = events
        self.rate_limits = RateLimits(settings.budgets(), settings.redis_url, namespace)
        self.persisted = PersistedQueries(
            settings.persisted_queries, settings.persisted_query_documents(), redis, namespace,
            settings.persisted_query_max_bytes, self.rate_limits,
        )
        self.cache = ResponseCache(
            settings.response_cache_seconds, settings.response_cache_entries, redis, namespace,
            settings.response_cache_max_bytes,
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET that names a persisted query is an API call, whatever it accepts.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: RequestContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        lookup: Lookup | None = getattr(request.state, LOOKUP, None)
        try:
            query = lookup.query if lookup and lookup.query else await self.persisted.resolve(
                request_data.query, request_data.extensions, self._client(request)
            )
        except PersistedQueryError as refused:
            error = GraphQLError(str(refused), extensions={"code": refused.code.value})
            return ExecutionResult(data=None, errors=[error])
        request_data = replace(request_data, query=query)
        if query is None or not self.cache.enabled or request.headers.get("authorization"):
            return await self._execute_counted(request_adapter.method, context, root_value, request_data, sub_response)
        # Anonymous and not answered from the cache: keep the result with what keeps it true,
        # as of the version read before executing.
        if lookup is None:
            identity = self._identity(request, query, request_data.variables, request_data.operation_name)
            lookup = Lookup(identity, await context.version())
        result = await self._execute_counted(request_adapter.method, context, root_value, request_data, sub_response)
        if result.errors or result.data is None or not context.shareable:
            return result
        operation = get_operation_ast(parse(query), request_data.operation_name)
        if operation is not None and operation.operation is DocumentOperation.QUERY:
            response = {"data": result.data, "extensions": result.extensions}
            stamps = context.companies_shown if _shows_only_company_pages(operation) else None
            entry = (
                Entry.showing_companies(response, stamps) if stamps else Entry.showing_everything(response, lookup.version)
            )
            await self.cache.put(lookup.identity, entry)
            sub_response.headers.update(cache_headers(lookup.identity, entry, request_adapter.method, "miss"))
        return result

    async def _execute_counted(
        self, method: str, context: RequestContext, root_value: None, request_data: GraphQLRequestData, sub_response: Response
    ) -> ExecutionResult:
        """The execution, with where its client stands in the points budget in `RateLimit-*`
        headers; an operation refused for want of points is a 429 with `Retry-After`."""
        result = await self._execute(method, context, root_value, request_data)
        if context.allowance is not None:
            sub_response.headers.update(context.allowance.headers())
        if context.retry_after is not None:
            sub_response.status_code = 429
            sub_response.headers["Retry-After"] = str(context.retry_after)
        return result

    async def _execute(
        self, method: str, context: RequestContext, root_value: None, request_data: GraphQLRequestData
    ) -> ExecutionResult:
        """strawberry's execution, with what HTTP carries: queries over GET, queries and
        mutations over POST, and subscriptions over the WebSocket only."""
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=HTTP_OPERATIONS[method],
                operation_extensions=request_data.extensions,
            )
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError) as refused:
            raise RefusedRequest(refusals.of_operation(refused, method)) from refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An anonymous query whose response is cached for the current data version is
        answered here, from the stored bytes, before any parsing, validation or execution.
        (GraphQLRequestGuard has read and checked the request's parameters already; when
        CachedGetMiddleware looked and missed, there is nothing more to look up.)"""
        state = scope.get("state", {})
        params = state.get(PARAMETERS)
        if params is not None and self.cache.enabled and LOOKUP not in state:
            request = Request(scope, receive)
            if "authorization" not in request.headers and (response := await self._cached(request, params)):
                await response(scope, receive, send)
                return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except RefusedRequest as refused:
            response = refused.refusal.response()
        except HTTPException as refused:
            response = refusals.of_http(refused).response()
        await response(scope, receive, send)

    async def _cached(self, request: Request, params: dict[str, Any]) -> Response | None:
        """The cached response, or None for anything else (strawberry then explains errors)."""
        try:
            query = await self.persisted.resolve(params.get("query"), params.get("extensions"), self._client(request))
        except PersistedQueryError:
            return None
        if query is None:
            return None
        identity = self._identity(request, query, params.get("variables"), params.get("operationName"))
        answer = await cached_response(
            self.cache, identity, self.read_version, request.method, request.headers.get("if-none-match")
        )
        if isinstance(answer, Response):
            return answer
        setattr(request.state, LOOKUP, replace(answer, query=query))  # the execution answers instead
        return None

    def _identity(self, request: Request, query: str, variables: dict[str, Any] | None, operation_name: str | None) -> str:
        """What the request asks; a GET's query string is remembered for CachedGetMiddleware."""
        identity = request_identity(self.settings.database_url, query, variables, operation_name)
        if request.method == "GET":
            self.cache.know_query_string(request.scope["query_string"], identity)
        return identity

    def _client(self, request: Request) -> str:
        return client_address(request, self.settings.trusted_proxy_addresses)

    async def read_version(self, companies: Sequence[int] = ()) -> data_version.Version:
        return await data_version.current(get_connection(connection_name(self.settings.database_url)), companies)

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        if sub_response.status_code == 304:
            return Response(status_code=304, headers=dict(sub_response.headers))
        return super().create_response(response_data, sub_response)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql.page())

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        put_in_force(self.settings)
        ids_in_force(self.secret)
        return RequestContext(
            request=request,
            settings=self.settings,
            passwords=self.passwords,
            rate_limits=self.rate_limits,
            events=self.events,
            mailer=self.mailer,
            secret=self.secret,
        )


# Root fields of a company page: its answer changes only with that company's own writes.
COMPANY_PAGE_FIELDS = frozenset({"company", "__typename"})


def _shows_only_company_pages(operation: OperationDefinitionNode) -> bool:
    return all(
        isinstance(selection, FieldNode) and selection.name.value in COMPANY_PAGE_FIELDS
        for selection in operation.selection_set.selections
    )


async def healthz(request: Request) -> JSONResponse:
    try:
        await get_connection(request.app.state.connection_name).execute_query("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        logger.exception("health check failed")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


async def to_graphql(request: Request) -> RedirectResponse:
    """The root is where people type the address: send them to the API (and GraphiQL)."""
    return RedirectResponse("/graphql", status_code=307)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    passwords = Passwords(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await apply_migrations(settings.database_url)
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            graphql.secret = await deployment_secret(settings.secret_key)
            # In the background: the server answers at once; a ranking asked for meanwhile waits
            # for this load (the snapshot's lock) rather than starting another.
            loading = app.state.snapshot_loading = asyncio.create_task(load_snapshot(settings))
            await events.start()
            put_in_force(settings)  # for the release run's task, which starts with this context
            releasing = (
                asyncio.create_task(keep_releasing_held_reviews(events, settings.release_held_seconds))
                if settings.release_held_seconds else None
            )
            try:
                yield
            finally:
                loading.cancel()
                await save_snapshot(settings)
                if releasing is not None:
                    releasing.cancel()
                await graphql.mailer.drain()
                await events.close()
                if redis is not None:
                    await redis.aclose()

    redis = shared_redis.connect(settings.redis_url)
    namespace = shared_redis.namespace(settings.database_url, settings.redis_prefix)
    events = event_bus(settings.database_url, redis, namespace)
    graphql = WorkcredGraphQL(settings, passwords, events, redis, namespace)
    app = Starlette(
        routes=[
            Route("/", to_graphql, methods=["GET"]),
            Route("/graphql", graphql),  # other methods get strawberry's 405, in JSON
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            *(
                [Mount(graphiql.ASSETS_PATH, StaticFiles(directory=graphiql.STATIC_DIRECTORY, check_dir=False))]
                if settings.graphiql
                else []
            ),
        ],
        middleware=[
            *cors(settings),
            Middleware(Compression),
            Middleware(RequestIdMiddleware),
            Middleware(
                ClientConcurrencyLimit, path="/graphql", in_flight=settings.max_requests_in_flight_per_client,
                trusted_proxies=settings.trusted_proxy_addresses,
            ),
            Middleware(CachedGetMiddleware, path="/graphql", cache=graphql.cache, read_version=graphql.read_version),
            Middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes),
            Middleware(GraphQLRequestGuard, path="/graphql"),
            Middleware(TimeBudgetMiddleware, seconds=settings.request_time_budget_seconds),
        ],
        lifespan=lifespan,
    )
    app.state.connection_name = connection_name(settings.database_url)
    app.state.events = events
    app.state.mailer = graphql.mailer
    return app
