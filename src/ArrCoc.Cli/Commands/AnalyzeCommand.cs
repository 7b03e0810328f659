using System.CommandLine;

namespace ArrCoc.Cli.Commands;

/// <summary>`arrcoc analyze`: run the ARR-COC pipeline on one image and question, write analysis.json and PNG views.</summary>
public static class AnalyzeCommand
{
    public static Command Create()
    {
        var command = new Command("analyze", "Run the ARR-COC pipeline on an image and question; write analysis.json and one PNG per view.");
        return command;
    }
}
