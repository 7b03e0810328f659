using ArrCoc.Microscope.Hosting;

var builder = WebApplication.CreateBuilder(ContentRootLocator.Options(args));
builder.AddMicroscope();
var app = builder.Build();
app.MapMicroscope();
app.Run();

/// <summary>The Microscope's entry point (public for WebApplicationFactory in the end-to-end tests).</summary>
public partial class Program;
