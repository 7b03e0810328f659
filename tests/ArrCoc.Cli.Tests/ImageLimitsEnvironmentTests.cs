namespace ArrCoc.Cli.Tests;

/// <summary>The CLI verbs' image limits: the Microscope's defaults, overridden by its environment variables.</summary>
public class ImageLimitsEnvironmentTests
{
    static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void Nothing_Set_TheDefaults()
    {
        var limits = ImageLimitsEnvironment.Read(Env());

        Assert.Equal(50L * 1024 * 1024, limits.MaxFileBytes);
        Assert.Equal(40, limits.MaxMegapixels);
        Assert.Equal(16384, limits.MaxSide);
    }

    [Fact]
    public void Variables_Set_Override()
    {
        var limits = ImageLimitsEnvironment.Read(Env(("ImageLimits__MaxSide", "4096"), ("ImageLimits__MaxMegapixels", "12.5"), ("ImageLimits__MaxFileBytes", "1000000")));

        Assert.Equal(4096, limits.MaxSide);
        Assert.Equal(12.5, limits.MaxMegapixels);
        Assert.Equal(1_000_000, limits.MaxFileBytes);
    }

    [Theory]
    [InlineData("ImageLimits__MaxSide", "big", "ImageLimits__MaxSide='big' is not a number")]
    [InlineData("ImageLimits__MaxSide", "0", "ImageLimits__MaxSide:")]
    [InlineData("ImageLimits__MaxMegapixels", "-1", "ImageLimits__MaxMegapixels:")]
    public void Variables_Bad_UserErrorNamingThem(string key, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ImageLimitsEnvironment.Read(Env((key, value))));

        Assert.Contains(expected, error.Message);
    }
}
