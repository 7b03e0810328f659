using ArrCoc.Core.Texture;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class TextureTests
{
    [Fact]
    public void CieLab_PureRed_KnownLightnessAndRedGreen()
    {
        using var red = TestImages.Constant(1, 1, 1, 0, 0);
        var (l, a) = CieLab.LightnessAndRedGreen(red);
        using (l) using (a)
        {
            Assert.Equal(53.24, l.item<float>(), 0.01);
            Assert.Equal(80.09, a.item<float>(), 0.01);
        }
    }

    [Theory]
    [InlineData(1f, 1f, 1f, 100.0, 0.0)]
    [InlineData(0f, 0f, 0f, 0.0, 0.0)]
    [InlineData(0f, 1f, 0f, 87.73, -86.18)]
    public void CieLab_ReferenceColours_KnownValues(float r, float g, float b, double expectedL, double expectedA)
    {
        using var colour = TestImages.Constant(1, 1, r, g, b);
        var (l, a) = CieLab.LightnessAndRedGreen(colour);
        using (l) using (a)
        {
            Assert.Equal(expectedL, l.item<float>(), 0.01);
            Assert.Equal(expectedA, a.item<float>(), 0.01);
        }
    }

    [Fact]
    public void Generate_ShapeIsOneCellPer32Pixels_AnyRectangle()
    {
        using var image = TestImages.Random(64, 160, seed: 1);
        using var texture = TextureArray.Generate(image);
        Assert.Equal(new long[] { 1, 13, 2, 5 }, texture.shape);
        Assert.True(texture.min().item<float>() >= 0f);
        Assert.True(texture.max().item<float>() <= 1f);
    }

    [Fact]
    public void Generate_ConstantImage_EdgesZeroAndColourExact()
    {
        using var image = TestImages.Constant(96, 64, 0.25f, 0.5f, 0.75f);
        using var texture = TextureArray.Generate(image);
        foreach (var channel in new[] { TextureChannels.SobelX, TextureChannels.SobelY, TextureChannels.SobelMagnitude, TextureChannels.Saliency })
            Assert.Equal(0f, texture[0, channel].abs().max().item<float>());
        Assert.Equal(0.25f, texture[0, TextureChannels.Red, 1, 1].item<float>(), 1e-6f);
        Assert.Equal(0.5f, texture[0, TextureChannels.Green, 2, 0].item<float>(), 1e-6f);
        Assert.Equal(0.75f, texture[0, TextureChannels.Blue, 0, 1].item<float>(), 1e-6f);
        // Each colour channel is the same in every cell.
        for (int c = 0; c <= TextureChannels.LabA; c++)
            Assert.Equal(0f, (texture[0, c] - texture[0, c, 0, 0]).abs().max().item<float>(), 1e-6f);
    }

    [Fact]
    public void Sobel_VerticalEdge_GxHalfAtTheEdgeAndGyZero()
    {
        using var image = TestImages.VerticalEdge(32, 96, edgeColumn: 48);
        var (gx, gy) = TextureArray.Sobel(image);
        using (gx) using (gy)
        {
            Assert.Equal(0.5f, gx[0, 0, 10, 47].item<float>(), 1e-6f); // (1 + 2 + 1) / 8, right minus left
            Assert.Equal(0.5f, gx[0, 0, 10, 48].item<float>(), 1e-6f);
            Assert.Equal(0f, gx[0, 0, 10, 46].item<float>());
            Assert.Equal(0f, gx[0, 0, 0, 0].item<float>());              // replicate padding: no border edge
            Assert.Equal(0f, gy.abs().max().item<float>());
        }
    }

    [Fact]
    public void Generate_VerticalEdge_GxMaximalInTheEdgeCellOnly()
    {
        using var image = TestImages.VerticalEdge(32, 96, edgeColumn: 48); // edge inside cell column 1
        using var texture = TextureArray.Generate(image);
        var gx = texture[0, TextureChannels.SobelX, 0].data<float>().ToArray();
        Assert.Equal(new[] { 0f, 1f, 0f }, gx, new FloatTolerance(1e-6f)); // (v − min) / (max − min + 1e-8)
        Assert.Equal(0f, texture[0, TextureChannels.SobelY].abs().max().item<float>());
        var magnitude = texture[0, TextureChannels.SobelMagnitude, 0].data<float>().ToArray();
        Assert.Equal(1f, magnitude[1], 1e-6f);
        Assert.Equal(0f, magnitude[0], 1e-6f);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(4, 4)]
    [InlineData(1, 3)]
    public void Generate_PositionChannels_ExactValues(int rows, int columns)
    {
        using var image = TestImages.Random(rows * 32, columns * 32, seed: 2);
        using var texture = TextureArray.Generate(image);
        var maxDistance = 0.0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                maxDistance = Math.Max(maxDistance, Distance(i, j, rows, columns));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                Assert.Equal(rows == 1 ? 0.0 : (double)i / (rows - 1), texture[0, TextureChannels.PositionY, i, j].item<float>(), 1e-7);
                Assert.Equal(columns == 1 ? 0.0 : (double)j / (columns - 1), texture[0, TextureChannels.PositionX, i, j].item<float>(), 1e-7);
                Assert.Equal(Distance(i, j, rows, columns) / maxDistance, texture[0, TextureChannels.Eccentricity, i, j].item<float>(), 1e-6);
            }
    }

    static double Distance(int i, int j, int rows, int columns)
    {
        double y = rows == 1 ? 0 : (double)i / (rows - 1), x = columns == 1 ? 0 : (double)j / (columns - 1);
        return Math.Sqrt((y - 0.5) * (y - 0.5) + (x - 0.5) * (x - 0.5));
    }

    [Fact]
    public void Generate_ViewChannels_AreCopiesOfMagnitudeAndLightness()
    {
        using var image = TestImages.Random(64, 64, seed: 3);
        using var texture = TextureArray.Generate(image);
        Assert.True(TensorAssert.Identical(texture[0, TextureChannels.Saliency], texture[0, TextureChannels.SobelMagnitude]));
        Assert.True(TensorAssert.Identical(texture[0, TextureChannels.Luminance], texture[0, TextureChannels.LabL]));
    }

    [Fact]
    public void Generate_CellValues_AreAreaMeansOfTheirPixels()
    {
        // Left cell red, right cell half red / half blue (by rows): area mean of R = 0.5 in the right cell.
        var image = zeros(1, 3, 32, 64);
        image[0, 0, .., ..32] = 1f;
        image[0, 0, ..16, 32..] = 1f;
        image[0, 2, 16.., 32..] = 1f;
        using (image)
        using (var texture = TextureArray.Generate(image))
        {
            Assert.Equal(1f, texture[0, TextureChannels.Red, 0, 0].item<float>(), 1e-6f);
            Assert.Equal(0.5f, texture[0, TextureChannels.Red, 0, 1].item<float>(), 1e-6f);
            Assert.Equal(0.5f, texture[0, TextureChannels.Blue, 0, 1].item<float>(), 1e-6f);
        }
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(64, 48)]
    public void Generate_SizeNotMultipleOf32_ClearError(int height, int width)
    {
        using var image = zeros(1, 3, height, width);
        var error = Assert.Throws<ArgumentException>(() => TextureArray.Generate(image));
        Assert.Contains($"{height} x {width}", error.Message);
    }

    [Theory]
    [InlineData(1, 64, 96)]
    [InlineData(2, 128, 64)]
    [InlineData(3, 1024, 1024)]
    public void CellMeans_FusedPass_EqualsTheTensorOpDefinition(long seed, int height, int width)
    {
        using var image = TestImages.Random(height, width, seed);
        using var edge = TestImages.VerticalEdge(height, width, width / 2 + 3);
        using var batch = cat([image, edge], 0);
        using var fast = TextureKernel.CellMeans(batch);
        using var reference = TextureArray.CellMeansReference(batch);
        Assert.Equal(reference.shape, fast.shape);
        Assert.Equal(0f, (fast - reference).abs().max().item<float>(), 2e-6f);
    }

    [Fact]
    public void CellMeans_SaturatedAndDarkColours_EqualTheDefinition()
    {
        // The tables' edges: very dark colours (the linear segment of f) and white (the top of the cube-root table).
        var image = zeros(1, 3, 32, 128);
        image[0, .., .., 32..64] = 1f;
        image[0, 0, .., 64..96] = 0.02f;
        image[0, 2, .., 96..] = 1f;
        using (image)
        using (var fast = TextureKernel.CellMeans(image))
        using (var reference = TextureArray.CellMeansReference(image))
            Assert.Equal(0f, (fast - reference).abs().max().item<float>(), 1e-5f); // a* of white: float32 rounding, ~5e-4 a* units
    }

    [Fact]
    public void Generate_StrongStructure_EqualsTheReferenceAfterNormalisation()
    {
        using var image = TestImages.Random(256, 192, seed: 9);
        image[.., .., 100..180, 40..120] = 1f; // a bright block: large gradient range, so min-max does not amplify rounding
        using var fast = TextureArray.Generate(image);
        using var reference = TextureArray.GenerateReference(image);
        Assert.Equal(0f, (fast - reference).abs().max().item<float>(), 1e-4f);
    }
}
