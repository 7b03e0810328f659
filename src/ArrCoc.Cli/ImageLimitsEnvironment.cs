using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ArrCoc.Engine.Images;

namespace ArrCoc.Cli;

/// <summary>
/// The image limits of the CLI verbs: the defaults of <see cref="ImageLimitsOptions"/>, overridden by the environment
/// variables that configure the Microscope (ImageLimits__MaxFileBytes, ImageLimits__MaxMegapixels,
/// ImageLimits__MaxSide). A value that is not a number or is out of range is a user error naming the variable.
/// </summary>
public static class ImageLimitsEnvironment
{
    public static ImageLimitsOptions Read() => Read(Environment.GetEnvironmentVariable);

    public static ImageLimitsOptions Read(Func<string, string?> environment)
    {
        var limits = new ImageLimitsOptions();
        string Name(string property) => $"{ImageLimitsOptions.Section}__{property}";
        T Parse<T>(string property, T fallback) where T : IParsable<T>
        {
            var text = environment(Name(property));
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            return T.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var value) ? value
                : throw new ArgumentException($"{Name(property)}='{text}' is not a number");
        }
        limits.MaxFileBytes = Parse(nameof(limits.MaxFileBytes), limits.MaxFileBytes);
        limits.MaxMegapixels = Parse(nameof(limits.MaxMegapixels), limits.MaxMegapixels);
        limits.MaxSide = Parse(nameof(limits.MaxSide), limits.MaxSide);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(limits, new ValidationContext(limits), problems, validateAllProperties: true))
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{Name(p.MemberNames.First())}: {p.ErrorMessage}")));
        return limits;
    }
}
