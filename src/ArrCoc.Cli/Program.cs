using ArrCoc.Cli;

return await CliRunner.RunAsync(CliApp.Build(), args);
