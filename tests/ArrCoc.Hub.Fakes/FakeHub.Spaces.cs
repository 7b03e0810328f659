using Microsoft.AspNetCore.Builder;

namespace ArrCoc.Hub.Fakes;

/// <summary>The Spaces side of the fake Hub (issue 8).</summary>
public sealed partial class FakeHub
{
    static void MapSpaces(WebApplication app)
    {
        _ = app;
    }
}
