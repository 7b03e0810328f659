namespace ArrCoc.Engine.Tests.Service;

public class EngineOptionsTests
{
    [Theory]
    [InlineData("ArrCoc:Grid", "sideways", "ArrCoc:Grid")]
    [InlineData("Engine:QueueCapacity", "0", "QueueCapacity")]
    [InlineData("ImageLimits:MaxSide", "0", "MaxSide")]
    public async Task Start_InvalidOption_FailsNamingIt(string key, string value, string expected)
    {
        var settings = EngineHost.SmallSettings();
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => EngineHost.StartAsync(settings: settings));

        Assert.Contains(expected, error.Message);
    }
}
