using ArrCoc.Engine.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ArrCoc.Engine.Tests;

public class GridAndTensorTests
{
    [Theory]
    [InlineData("32", 32, 32)]
    [InlineData("24x40", 24, 40)]
    [InlineData(" 8X4 ", 8, 4)]
    public void Parse_FixedGrids(string text, int rows, int columns)
    {
        var grid = GridSpec.Parse(text);
        Assert.False(grid.IsAuto);
        Assert.Equal((rows, columns), grid.Resolve(5000, 10));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3x0")]
    [InlineData("129")]
    [InlineData("1")]
    [InlineData("1x1")]
    public void Parse_ImpossibleGrid_OutOfRange(string text) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GridSpec.Parse(text));

    [Fact]
    public void Grid_OneCell_IsRefused_TwoCellsWork()
    {
        Assert.Contains("1 x 2", Assert.Throws<ArgumentOutOfRangeException>(() => GridSpec.Fixed(1, 1)).Message);
        Assert.Contains("between 2 and", Assert.Throws<ArgumentOutOfRangeException>(() => GridSpec.Auto(1)).Message);
        Assert.Equal((1, 2), GridSpec.Fixed(1, 2).Resolve(10, 10));
        Assert.Equal((1, 2), GridSpec.Auto(2).Resolve(100, 100));  // a square image still gets two cells
        Assert.Equal((2, 1), GridSpec.Auto(2).Resolve(100, 300));
    }

    [Theory]
    [InlineData("big")]
    [InlineData("3x4x5")]
    [InlineData("-3")]
    public void Parse_Garbage_FormatError(string text) =>
        Assert.Contains("not understood", Assert.Throws<FormatException>(() => GridSpec.Parse(text)).Message);

    [Theory]
    [InlineData(1024, 1024, 1024)]
    [InlineData(1600, 900, 1024)]
    [InlineData(480, 640, 300)]
    [InlineData(3000, 200, 1024)]
    [InlineData(100, 100, 2)]
    public void Auto_LargestGridWithTheAspect(int width, int height, int maxCells)
    {
        var (rows, columns) = GridSpec.Auto(maxCells).Resolve(width, height);
        Assert.True(rows * columns <= maxCells);
        double aspect = (double)width / height;
        double error = Math.Abs(Math.Log((double)columns / rows / aspect));
        if (maxCells >= 64) Assert.True(error <= 0.1, $"{rows}x{columns} for {width}x{height}");
        // No grid with the aspect within 2 % and more cells exists.
        for (int r = 1; r <= 128; r++)
            for (int c = 1; c <= 128; c++)
                if (r * c <= maxCells && r * c > rows * columns && r * c >= GridSpec.MinCells)
                    Assert.True(Math.Abs(Math.Log((double)c / r / aspect)) > 0.02 || error > 0.02, $"{r}x{c} beats {rows}x{columns}");
    }

    [Fact]
    public void Auto_SquareImage_32By32()
    {
        Assert.Equal((32, 32), GridSpec.Auto(1024).Resolve(777, 777));
        Assert.Equal((30, 40), GridSpec.Auto(1200).Resolve(640, 480));
    }

    [Fact]
    public void ToTensor_LayoutAndScale()
    {
        using var image = new Image<Rgb24>(64, 32, new Rgb24(0, 0, 0));
        image[5, 3] = new Rgb24(255, 51, 0);
        using var t = ImageTensors.ToTensor(image);
        Assert.Equal(new long[] { 1, 3, 32, 64 }, t.shape);
        Assert.Equal(1f, t[0, 0, 3, 5].item<float>());
        Assert.Equal(0.2f, t[0, 1, 3, 5].item<float>(), 1e-6f);
        Assert.Equal(0f, t[0, 2, 3, 5].item<float>());
        Assert.Equal(0f, t[0, 0, 5, 3].item<float>());
    }

    [Fact]
    public void ResizeToGrid_ExactPixelSize()
    {
        using var image = new Image<Rgb24>(100, 70);
        using var resized = ImageTensors.ResizeToGrid(image, 3, 5);
        Assert.Equal((160, 96), (resized.Width, resized.Height));
    }
}
