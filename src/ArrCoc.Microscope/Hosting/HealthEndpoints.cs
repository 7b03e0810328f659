using ArrCoc.Engine.Service;

namespace ArrCoc.Microscope.Hosting;

/// <summary>
/// /healthz: the process serves requests (liveness, always 200). /readyz: the language model's state as JSON; 200 when
/// answering works, 503 otherwise (the microscope itself works in every state); also the queue and the process memory.
/// </summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text("ok");
        });
        app.MapGet("/readyz", (HttpContext context, EngineService engine) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var s = engine.ModelStatus;
            var body = new
            {
                state = s.State.ToString(),
                model = s.ModelId,
                device = s.Device,
                dtype = s.Dtype,
                detail = s.Detail,
                fraction = s.Fraction,
                answering = s.CanAnswer,
                checkpoint = s.Checkpoint,
                queue_waiting = engine.Waiting,
                images_held = engine.ImagesHeld,
                memory_mb = new
                {
                    working_set = Math.Round(Environment.WorkingSet / 1048576.0, 1),
                    managed = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
                },
            };
            return Results.Json(body, statusCode: s.CanAnswer ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
