using ArrCoc.Hub;
using ArrCoc.Microscope.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArrCoc.Microscope.Tests.Hosting;

/// <summary>The app takes the Hub token from the environment only; a token in configuration stops the start.</summary>
public class HubTokenTests
{
    static HubOptions Resolve(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMicroscope();
        using var app = builder.Build();
        return app.Services.GetRequiredService<IOptions<HubOptions>>().Value;
    }

    [Fact]
    public void TokenInConfiguration_Refused_NamingHfToken()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Hub:Token"] = "hf_in_a_file", ["Hub:Offline"] = "true" }));

        Assert.Contains("Hub:Token", error.Message);
        Assert.Contains("HF_TOKEN", error.Message);
        Assert.DoesNotContain("hf_in_a_file", error.Message);
    }

    [Fact]
    public void OtherHubSettings_BoundFromConfiguration()
    {
        var options = Resolve(new() { ["Hub:Offline"] = "true", ["Hub:MaxRetries"] = "2" });

        Assert.True(options.Offline);
        Assert.Equal(2, options.MaxRetries);
    }
}
