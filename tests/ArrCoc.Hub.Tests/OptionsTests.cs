using ArrCoc.Hub.Fakes;
using Microsoft.Extensions.Configuration;

namespace ArrCoc.Hub.Tests;

public sealed class OptionsTests
{
    static HubOptions From(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return new HubOptions(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void HubOptions_NoVariables_UsesHuggingfaceHubDefaults()
    {
        var options = From(("HOME", "/home/u"));

        Assert.Equal("https://huggingface.co", options.Endpoint);
        Assert.Equal("/home/u/.cache/huggingface/hub", options.CacheDir);
        Assert.Null(options.Token);
        Assert.False(options.Offline);
    }

    [Fact]
    public void HubOptions_Variables_FollowHuggingfaceHubPrecedence()
    {
        Assert.Equal("/h/hub", From(("HF_HOME", "/h")).CacheDir);
        Assert.Equal("/x/huggingface/hub", From(("XDG_CACHE_HOME", "/x"), ("HOME", "/home/u")).CacheDir);
        Assert.Equal("/c", From(("HF_HOME", "/h"), ("HF_HUB_CACHE", "/c"), ("HUGGINGFACE_HUB_CACHE", "/old")).CacheDir);
        Assert.Equal("/old", From(("HF_HOME", "/h"), ("HUGGINGFACE_HUB_CACHE", "/old")).CacheDir);
        Assert.Equal("/home/u/cache/hub", From(("HOME", "/home/u"), ("HF_HOME", "~/cache")).CacheDir);
        Assert.Equal("/data/hf/hub", From(("BASE", "/data"), ("HF_HOME", "$BASE/hf")).CacheDir);
        Assert.Equal("http://127.0.0.1:9", From(("HF_ENDPOINT", "http://127.0.0.1:9/")).Endpoint);
        Assert.Equal("hf_a", From(("HF_TOKEN", "hf_a"), ("HUGGING_FACE_HUB_TOKEN", "hf_b")).Token);
        Assert.Equal("hf_b", From(("HUGGING_FACE_HUB_TOKEN", "hf_b")).Token);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("ON", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void HubOptions_HfHubOffline_AcceptsHuggingfaceHubTruthValues(string value, bool offline) =>
        Assert.Equal(offline, From(("HF_HUB_OFFLINE", value)).Offline);

    [Fact]
    public void HubOptions_TokenFile_IsReadWhenNoVariableIsSet()
    {
        using var home = new TestCache();
        File.WriteAllText(Path.Combine(home.Root, "token"), "hf_fromfile\n");

        Assert.Equal("hf_fromfile", From(("HF_HOME", home.Root)).Token);
        Assert.Equal("hf_env", From(("HF_HOME", home.Root), ("HF_TOKEN", "hf_env")).Token);
    }

    [Fact]
    public void HubOptionsToString_WithToken_NeverShowsIt()
    {
        var options = From(("HF_TOKEN", "hf_secret123"));

        Assert.DoesNotContain("hf_secret123", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("token set", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HubOptions_BoundFromConfiguration_OverridesTheEnvironmentDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hub:Endpoint"] = "http://127.0.0.1:5",
                ["Hub:Offline"] = "true",
                ["Hub:MaxConcurrentDownloads"] = "2",
                ["Hub:ReadTimeout"] = "00:00:05",
            })
            .Build();
        var options = new HubOptions(_ => null);

        ConfigurationBinder.Bind(configuration.GetSection(HubOptions.SectionName), options);

        Assert.Equal(("http://127.0.0.1:5", true, 2, TimeSpan.FromSeconds(5)),
            (options.Endpoint, options.Offline, options.MaxConcurrentDownloads, options.ReadTimeout));
    }
}
