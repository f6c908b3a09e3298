using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ReconMesh.Sandbox.Faults;

/// <summary>
/// Injects the configured faults into the simulators' APIs: queued answers (<see cref="SandboxScriptedAnswer"/>) first, then latency, 500/503 answers, 429 bursts with
/// <c>Retry-After: 1</c>, and "timeout after commit" (the request is handled in full, then its response is thrown away
/// and the connection aborted). Answers use each simulator's own error body shape. Runs before the endpoints; admin
/// paths (<c>/admin/…</c>) are never faulted.
/// </summary>
internal sealed class SandboxFaultMiddleware(RequestDelegate next, SandboxFaultInjector injector, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var simulator = SandboxFaultInjector.SimulatorOf(context.Request.Path.Value);
        if (simulator is null)
        {
            await next(context);
            return;
        }

        var request = $"{context.Request.Method} {context.Request.Path}{Uri.UnescapeDataString(context.Request.QueryString.Value ?? "")}";
        if (injector.TakeScripted(simulator, request) is { } scripted)
        {
            await WriteScriptedAsync(context, scripted);
            return;
        }

        var decision = injector.Decide(simulator);
        if (decision.LatencyMs > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(decision.LatencyMs), time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        switch (decision.Kind)
        {
            case SandboxFaultKind.ServerError:
                await WriteFaultAsync(context, simulator, StatusCodes.Status500InternalServerError);
                return;
            case SandboxFaultKind.ServiceUnavailable:
                await WriteFaultAsync(context, simulator, StatusCodes.Status503ServiceUnavailable);
                return;
            case SandboxFaultKind.Throttle:
                await WriteFaultAsync(context, simulator, StatusCodes.Status429TooManyRequests);
                return;
            case SandboxFaultKind.TimeoutAfterCommit:
                await CommitThenAbortAsync(context);
                return;
            default:
                await next(context);
                return;
        }
    }

    /// <summary>A queued answer, byte for byte; the request is not handled.</summary>
    private static Task WriteScriptedAsync(HttpContext context, SandboxScriptedAnswer answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        if (answer.ContentType is not null)
        {
            response.ContentType = answer.ContentType;
        }

        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers.Append(name, value);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(answer.Body);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>The request runs to the end against a throw-away body; the client never gets an answer.</summary>
    private async Task CommitThenAbortAsync(HttpContext context)
    {
        var original = context.Response.Body;
        await using var sink = new MemoryStream();
        context.Response.Body = sink;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
            context.Abort();
        }
    }

    private Task WriteFaultAsync(HttpContext context, string simulator, int status)
    {
        (string contentType, JsonObject? body) = simulator switch
        {
            SandboxFaultInjector.QuickBooks => ("application/json;charset=UTF-8", QuickBooksBody(status)),
            SandboxFaultInjector.ConnectWise => ("application/json; charset=utf-8", ConnectWiseBody(status)),
            SandboxFaultInjector.Xero => (status == StatusCodes.Status429TooManyRequests ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", XeroBody(status)),
            SandboxFaultInjector.Autotask => ("application/json; charset=utf-8", AutotaskBody(status)),
            _ => ("application/problem+json", ProblemBody(status)),
        };
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = "1";
        }

        if (simulator == SandboxFaultInjector.QuickBooks)
        {
            response.Headers["intuit_tid"] = Guid.NewGuid().ToString("D");
        }

        if (simulator == SandboxFaultInjector.Xero && status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers["X-Rate-Limit-Problem"] = "minute";
        }

        var bytes = body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>QuickBooks' Fault envelope: the 429 body of its throttle, or a SystemFault.</summary>
    private JsonObject QuickBooksBody(int status)
    {
        var (code, message, detail, type) = status switch
        {
            StatusCodes.Status429TooManyRequests => ("3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", "The request limit was reached.", "SERVICE"),
            StatusCodes.Status503ServiceUnavailable => ("10000", "An application error has occurred while processing your request",
                "System Failure Error: The service is temporarily unavailable. Please wait a few minutes and try again.", "SystemFault"),
            _ => ("10000", "An application error has occurred while processing your request",
                "System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again.", "SystemFault"),
        };
        return new JsonObject
        {
            ["Fault"] = new JsonObject
            {
                ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code, ["element"] = "" }),
                ["type"] = type,
            },
            ["time"] = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>ConnectWise's <c>{code, message, errors}</c> error body.</summary>
    private static JsonObject ConnectWiseBody(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => new JsonObject
        {
            ["code"] = "TooManyRequests", ["message"] = "The request limit was reached. Retry after 1 second.", ["errors"] = null,
        },
        StatusCodes.Status503ServiceUnavailable => new JsonObject
        {
            ["code"] = "ServiceUnavailable", ["message"] = "The service is temporarily unavailable.", ["errors"] = null,
        },
        _ => new JsonObject { ["code"] = "UnexpectedServerError", ["message"] = "An unexpected server error has occurred.", ["errors"] = null },
    };

    /// <summary>Xero's ApiException body; a 429 has none (like the simulator's own limit: the problem is in X-Rate-Limit-Problem).</summary>
    private static JsonObject? XeroBody(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => null,
        StatusCodes.Status503ServiceUnavailable => new JsonObject
        {
            ["ErrorNumber"] = 503, ["Type"] = "ServiceUnavailableException", ["Message"] = "The Xero API is temporarily unavailable. Try again soon.",
        },
        _ => new JsonObject
        {
            ["ErrorNumber"] = 500, ["Type"] = "UnknownErrorException",
            ["Message"] = "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.",
        },
    };

    /// <summary>Autotask's <c>{"errors":[…]}</c> body; a 429 reads as the simulator's own hourly block does.</summary>
    private static JsonObject AutotaskBody(int status) => new()
    {
        ["errors"] = new JsonArray(status switch
        {
            StatusCodes.Status429TooManyRequests => Autotask.AutotaskMessages.ThresholdExceeded(10_000),
            StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable. Please try again later.",
            _ => "An unexpected error has occurred.",
        }),
    };

    /// <summary>ASP.NET Core's problem details, which the platform simulator answers errors with.</summary>
    private static JsonObject ProblemBody(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc6585#section-4", ["title"] = "Too Many Requests", ["status"] = status,
        },
        StatusCodes.Status503ServiceUnavailable => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.6.4", ["title"] = "Service Unavailable", ["status"] = status,
        },
        _ => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.6.1", ["title"] = "An error occurred while processing your request.", ["status"] = status,
        },
    };
}
