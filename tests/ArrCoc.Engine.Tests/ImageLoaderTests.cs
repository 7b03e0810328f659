using ArrCoc.Engine.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests;

public class ImageLoaderTests
{
    static readonly ImageLoader Loader = new(new ImageLimitsOptions());

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    public void Load_EachSupportedFormat_DecodesColourAndSize(string format)
    {
        using var source = new Image<Rgb24>(48, 40, new Rgb24(200, 40, 40));
        var bytes = TestFiles.Encode(source, TestFiles.EncoderFor(format));
        using var image = Loader.Load(bytes, "picture." + format);
        Assert.Equal((48, 40), (image.Width, image.Height));
        var pixel = image.Pixels[20, 20];
        Assert.InRange(pixel.R, 190, 210);
        Assert.InRange(pixel.G, 30, 50);
    }

    [Fact]
    public void Load_ExifOrientation_Applied()
    {
        using var source = new Image<Rgb24>(60, 20, new Rgb24(0, 0, 255));
        source[0, 0] = new Rgb24(255, 0, 0);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // rotate 90° clockwise to display
        var bytes = TestFiles.Encode(source, new PngEncoder());
        using var image = Loader.Load(bytes, "rotated.png");
        Assert.Equal((20, 60), (image.Width, image.Height));
    }

    [Fact]
    public void Load_Transparency_CompositedOnWhite()
    {
        using var source = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 0, 0));
        source[1, 1] = new Rgba32(255, 0, 0, 128);
        var bytes = TestFiles.Encode(source, new PngEncoder());
        using var image = Loader.Load(bytes, "alpha.png");
        Assert.Equal(new Rgb24(255, 255, 255), image.Pixels[0, 0]);
        var half = image.Pixels[1, 1];
        Assert.Equal(255, half.R);
        Assert.InRange(half.G, 125, 129);
        Assert.InRange(half.B, 125, 129);
    }

    [Fact]
    public void Load_AnimatedGif_FirstFrameOnly()
    {
        using var gif = new Image<Rgba32>(16, 16, new Rgba32(255, 0, 0, 255));
        using (var blue = new Image<Rgba32>(16, 16, new Rgba32(0, 0, 255, 255)))
            gif.Frames.AddFrame(blue.Frames.RootFrame);
        var bytes = TestFiles.Encode(gif, new GifEncoder());
        using var image = Loader.Load(bytes, "animated.gif");
        Assert.Equal("GIF", image.Format);
        Assert.True(image.Pixels[8, 8].R > 200 && image.Pixels[8, 8].B < 50);
    }

    [Fact]
    public void Load_EmptyFile_ClearMessage()
    {
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(Array.Empty<byte>(), "empty.png"));
        Assert.Equal("empty.png: the file is empty (0 bytes)", error.Message);
    }

    [Fact]
    public void Load_OverTheByteLimit_RefusedBeforeDecoding()
    {
        var small = new ImageLoader(new ImageLimitsOptions { MaxFileBytes = 100 });
        var error = Assert.Throws<ImageInputException>(() => small.Load(TestFiles.SolidPng(64, 64, new Rgb24(1, 2, 3)).Concat(new byte[200]).ToArray(), "big.png"));
        Assert.Contains("the limit is", error.Message);
        Assert.Contains("big.png", error.Message);
    }

    [Fact]
    public void Load_DecompressionBombHeader_RefusedWithoutAllocating()
    {
        var bomb = TestFiles.PngClaiming(30000, 30000); // 900 megapixels claimed by a few hundred bytes
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(bomb, "bomb.png"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("30000 x 30000", error.Message);
        Assert.True(allocated < 16 << 20, $"refusing the bomb allocated {allocated} bytes");
    }

    [Fact]
    public void Load_OverTheMegapixelLimit_WithinTheSideLimit_Refused()
    {
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(TestFiles.PngClaiming(10000, 10000), "large.png"));
        Assert.Contains("100 megapixels", error.Message);
        Assert.Contains("the limit is 40", error.Message);
    }

    [Fact]
    public void Load_OverTheSideLimit_Refused()
    {
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(TestFiles.PngClaiming(20000, 10), "strip.png"));
        Assert.Contains("16384 pixels a side", error.Message);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    public void Load_TruncatedFile_ClearMessage(string format)
    {
        using var source = new Image<Rgb24>(256, 256);
        var random = new Random(1);
        source.ProcessPixelRows(a => { for (int y = 0; y < a.Height; y++) random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.GetRowSpan(y))); });
        var bytes = TestFiles.Encode(source, TestFiles.EncoderFor(format));
        var truncated = bytes[..(bytes.Length / 3)];
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(truncated, "cut." + format));
        Assert.Contains("cut." + format, error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
    }

    [Theory]
    [InlineData("hello, this is text", "unrecognised content")]
    [InlineData("II*\0 tiff-ish", "TIFF")]
    [InlineData("%PDF-1.7", "a PDF document")]
    public void Load_WrongFileType_NamesWhatItIs(string content, string expected)
    {
        var error = Assert.Throws<ImageInputException>(() => Loader.Load(System.Text.Encoding.ASCII.GetBytes(content), "upload.bin"));
        Assert.Contains(expected, error.Message);
        Assert.Contains(ImageLoader.SupportedFormats, error.Message);
    }

    [Fact]
    public void Load_MissingFile_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Loader.Load("/nonexistent/picture.png"));
    }
}
