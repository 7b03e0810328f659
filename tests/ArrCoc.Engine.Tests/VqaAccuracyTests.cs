using ArrCoc.Engine.Vqa;

namespace ArrCoc.Engine.Tests;

public class VqaAccuracyTests
{
    static string[] Humans(params (string Answer, int Count)[] groups) =>
        groups.SelectMany(g => Enumerable.Repeat(g.Answer, g.Count)).ToArray();

    [Theory]
    [InlineData(2, 0.6)]   // leave out a "yes": 1/3; leave out a "no": 2/3 → (2·1/3 + 8·2/3) / 10
    [InlineData(3, 0.9)]   // (3·2/3 + 7·1) / 10
    [InlineData(4, 1.0)]
    [InlineData(1, 0.3)]   // leave out the "yes": 0; otherwise 1/3 → 9·(1/3) / 10
    [InlineData(0, 0.0)]
    public void Score_ThreeOfTenRule_AveragedOverTheTenSubsets(int yes, double expected)
    {
        var humans = Humans(("yes", yes), ("no", 10 - yes));
        Assert.Equal(expected, VqaAccuracy.Score("yes", humans), 1e-12);
    }

    [Theory]
    [InlineData("two", "2")]
    [InlineData("Two", "2")]
    [InlineData("none", "0")]
    [InlineData("the dog", "dog")]
    [InlineData("a red car", "red car")]
    [InlineData("Red.", "red")]
    [InlineData("yes, it is", "yes it is")]
    [InlineData("1,000", "1000")]
    [InlineData("3.5", "3.5")]
    [InlineData("hot-dog", "hot-dog")]
    [InlineData("what?!", "what !")]   // "?" has no space beside it: replaced by a space
    [InlineData("left/right", "left right")]
    [InlineData("isnt", "isn’t")]
    [InlineData("  on the\tleft\n", "on left")]
    public void NormalizeAnswer_OfficialRules(string answer, string expected) =>
        Assert.Equal(expected, VqaAccuracy.NormalizeAnswer(answer));

    [Fact]
    public void Score_NumberWordAgainstDigits()
    {
        Assert.Equal(1.0, VqaAccuracy.Score("two", Humans(("2", 10))));
        Assert.Equal(1.0, VqaAccuracy.Score("2 ", Humans(("2", 10))));
    }

    [Fact]
    public void Score_HumanAnswersGetOnlyThePunctuationStep()
    {
        // Mixed human answers are punctuation-processed but not lower-cased: "Red." becomes "Red", not "red".
        Assert.Equal(1.0, VqaAccuracy.Score("red", Humans(("red", 9), ("Red.", 1))));
        Assert.Equal(0.0, VqaAccuracy.Score("red", Humans(("Red", 10))));
        Assert.Equal(0.9, VqaAccuracy.Score("the dog", Humans(("dog", 3), ("cat", 7))), 1e-12);
    }

    [Fact]
    public void Score_NoHumanAnswers_ClearError() =>
        Assert.Throws<ArgumentException>(() => VqaAccuracy.Score("x", []));

    [Fact]
    public void TargetAnswer_MostFrequentThenFirst()
    {
        var example = new VqaExample { QuestionId = 1, ImagePath = "x", Question = "q", Answers = ["b", "a", "a", "b", "c"] };
        Assert.Equal("b", example.TargetAnswer);
        Assert.Equal("a", (example with { Answers = ["c", "a", "a"] }).TargetAnswer);
    }
}
