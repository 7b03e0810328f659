using ArrCoc.Core.Knowing;
using ArrCoc.Core.Texture;
using static TorchSharp.torch;

namespace ArrCoc.Core.Tests;

public class KnowingTests
{
    [Fact]
    public void Entropy_UniformChannels_IsLn13()
    {
        using var texture = full(new long[] { 1, 13, 2, 3 }, 0.7f);
        using var entropy = InformationScorer.Entropy(texture);
        Assert.Equal(Math.Log(13), entropy[0, 1, 2].item<float>(), 1e-5);
    }

    [Fact]
    public void Entropy_OneDominantChannel_IsLowerThanUniform()
    {
        var texture = zeros(1, 13, 1, 2);
        texture[0, 4, 0, 1] = 10f;
        using (texture)
        using (var entropy = InformationScorer.Entropy(texture))
            Assert.True(entropy[0, 0, 1].item<float>() < entropy[0, 0, 0].item<float>() - 1.0f);
    }

    [Fact]
    public void Information_ConstantTexture_EqualEverywhere()
    {
        using var texture = full(new long[] { 1, 13, 4, 4 }, 0.3f);
        using var information = InformationScorer.Score(texture);
        Assert.Equal(0f, (information - information[0, 0, 0]).abs().max().item<float>());
    }

    [Fact]
    public void Information_RandomTexture_MinMaxNormalised()
    {
        using var image = TestImages.Random(128, 96, seed: 4);
        using var texture = TextureArray.Generate(image);
        using var information = InformationScorer.Score(texture);
        Assert.Equal(new long[] { 1, 4, 3 }, information.shape);
        Assert.Equal(0f, information.min().item<float>(), 1e-6f);
        Assert.Equal(1f, information.max().item<float>(), 1e-6f);
    }

    [Fact]
    public void Entropy_ConstantImage_MatchesTheFormulaByHand()
    {
        // A constant image's cells differ only in their position channels (8-10): the entropy of each cell is
        // the entropy of softmax([r, g, b, L*/100, (a*+128)/255, 0, 0, 0, y, x, e, 0, L*/100]).
        using var image = TestImages.Constant(64, 96, 0.2f, 0.6f, 0.4f);
        using var texture = TextureArray.Generate(image);
        using var entropy = InformationScorer.Entropy(texture);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                var cell = Enumerable.Range(0, 13).Select(c => (double)texture[0, c, i, j].item<float>()).ToArray();
                Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, new[] { cell[5], cell[6], cell[7], cell[11] });
                Assert.Equal(i, cell[TextureChannels.PositionY], 1e-7);
                Assert.Equal(j / 2.0, cell[TextureChannels.PositionX], 1e-7);
                var exp = cell.Select(Math.Exp).ToArray();
                var p = exp.Select(e => e / exp.Sum()).ToArray();
                var expected = -p.Sum(x => x * Math.Log(x + 1e-10));
                Assert.Equal(expected, entropy[0, i, j].item<float>(), 1e-5);
            }
    }

    [Fact]
    public void Perspectival_IsTheSobelMagnitudeChannel()
    {
        using var image = TestImages.Random(64, 96, seed: 5);
        using var texture = TextureArray.Generate(image);
        using var perspectival = PerspectivalScorer.Score(texture);
        Assert.True(TensorAssert.Identical(perspectival, texture[.., TextureChannels.SobelMagnitude]));
    }

    [Fact]
    public void Participatory_OppositeQueries_ScoresSumToOne()
    {
        var model = new ArrCocModel(queryDim: 16, seed: 7);
        using var image = TestImages.Random(64, 64, seed: 6);
        using var texture = TextureArray.Generate(image);
        using var query = randn(1, 16);
        using var negated = -query;
        using var s1 = model.Participatory.forward(texture, query);
        using var s2 = model.Participatory.forward(texture, negated);
        Assert.Equal(new long[] { 1, 2, 2 }, s1.shape);
        Assert.Equal(0f, (s1 + s2 - 1f).abs().max().item<float>(), 1e-5f);
        Assert.True(s1.min().item<float>() >= 0f && s1.max().item<float>() <= 1f);
    }

    [Fact]
    public void Participatory_ScaledQuery_SameScores()
    {
        var model = new ArrCocModel(queryDim: 8, seed: 8);
        using var image = TestImages.Random(64, 32, seed: 9);
        using var texture = TextureArray.Generate(image);
        using var query = randn(1, 8);
        using var scaled = query * 5.0;
        using var s1 = model.Participatory.forward(texture, query);
        using var s2 = model.Participatory.forward(texture, scaled);
        Assert.Equal(0f, (s1 - s2).abs().max().item<float>(), 1e-6f);
    }

    [Fact]
    public void Participatory_WrongQueryDimension_ClearError()
    {
        var model = new ArrCocModel(queryDim: 8, seed: 8);
        using var texture = rand(1, 13, 2, 2);
        using var query = randn(1, 9);
        var error = Assert.Throws<ArgumentException>(() => model.Participatory.forward(texture, query));
        Assert.Contains("[B, 8]", error.Message);
        Assert.Contains("9", error.Message);
    }

    [Fact]
    public void Participatory_ParameterNames_AreTheSeeds()
    {
        var model = new ArrCocModel(queryDim: 8, seed: 1);
        var names = model.Participatory.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(new[] { "texture_proj.0.weight", "texture_proj.0.bias", "texture_proj.2.weight", "texture_proj.2.bias" }, names);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(2048, 2)]
    public void Participatory_FactoredForward_EqualsTheDirectDefinition(int d, long seed)
    {
        var model = new ArrCocModel(queryDim: d, seed: seed);
        using var image = TestImages.Random(128, 96, seed: seed);
        using var texture = TextureArray.Generate(image);
        using var query = randn(1, d);
        using var factored = model.Participatory.forward(texture, query);
        using var direct = model.Participatory.ScoreDirect(texture, query);
        Assert.Equal(0f, (factored - direct).abs().max().item<float>(), 2e-6f);
    }
}
