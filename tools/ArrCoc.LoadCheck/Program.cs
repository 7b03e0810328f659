using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

// The Microscope's load check: N headless Chromium sessions against a running Microscope ask at once (or analyze,
// when no model is ready), one after another into the queue; all must finish, in queue order; the server's memory
// (from /readyz) is read before and after each round. Prints a table and, last, one JSON line {"bench": "load", ...}.
//   dotnet run -c Release --project tools/ArrCoc.LoadCheck -- [--url http://127.0.0.1:7860] [--sessions 10] [--rounds 4]

var url = Arg("--url", "http://127.0.0.1:7860").TrimEnd('/') + "/";
int sessions = int.Parse(Arg("--sessions", "10"), CultureInfo.InvariantCulture);
int rounds = int.Parse(Arg("--rounds", "4"), CultureInfo.InvariantCulture);
var chromium = Arg("--chromium", "/usr/bin/chromium");
const float Timeout = 600_000;

using var http = new HttpClient { BaseAddress = new Uri(url) };
var before = await Memory();
bool asking = before.Answering;
Console.WriteLine($"{url}: {sessions} sessions x {rounds} rounds, {(asking ? "Ask (model ready)" : "Analyze (no model ready)")}");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium, Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

var memory = new List<double> { before.WorkingSetMb };
bool allInOrder = true;
var totalClock = Stopwatch.StartNew();
Console.WriteLine("round  finished  in order  seconds  working set MB");
for (int round = 1; round <= rounds; round++)
{
    var pages = new List<(IBrowserContext Context, IPage Page)>();
    for (int i = 0; i < sessions; i++)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = url });
        context.SetDefaultTimeout(Timeout);
        var page = await context.NewPageAsync();
        await page.GotoAsync("");
        await page.Locator("[data-testid=microscope][data-interactive=true]").WaitForAsync();
        await page.GetByTestId("sample-shapes").ClickAsync();
        await page.GetByTestId("image-info").WaitForAsync();
        pages.Add((context, page));
    }

    var clock = Stopwatch.StartNew();
    var done = asking ? "[data-testid=answer-kept][data-phase=Done]" : "[data-testid=analysis-facts]";
    for (int i = 0; i < sessions; i++)
    {
        var page = pages[i].Page;
        await page.GetByTestId(asking ? "ask" : "analyze").ClickAsync();
        // The next session clicks only once this one is in the queue (or done), so queue order is session order.
        await page.Locator($"[data-testid=answer-kept]:not([data-phase=Idle]), [data-testid=activity], {done}").First.WaitForAsync();
    }
    // Finish order from the server's clock (data-finished, UTC ticks), not from when each page noticed.
    var finished = await Task.WhenAll(pages.Select(async p =>
    {
        var element = p.Page.Locator(done);
        await element.WaitForAsync(new() { Timeout = Timeout });
        return long.Parse(await element.GetAttributeAsync("data-finished") ?? "0", CultureInfo.InvariantCulture);
    }));
    bool inOrder = finished.Zip(finished.Skip(1)).All(p => p.First <= p.Second);
    allInOrder &= inOrder;
    // Leaving the page (as a person navigating away does) lets Blazor end each circuit at once and release its image.
    foreach (var (context, page) in pages)
    {
        await page.GotoAsync("about:blank");
        await context.DisposeAsync();
    }
    // Sessions whose tab closed without saying so keep their image until Blazor drops the circuit (3 minutes by default).
    for (var wait = Stopwatch.StartNew(); await ImagesHeld() > 0 && wait.Elapsed < TimeSpan.FromMinutes(4);)
        await Task.Delay(TimeSpan.FromSeconds(2));
    var after = await Memory();
    memory.Add(after.WorkingSetMb);
    Console.WriteLine($"{round,5}  {sessions,8}  {(inOrder ? "yes" : "NO"),8}  {clock.Elapsed.TotalSeconds,7:0.0}  {after.WorkingSetMb,14:0}");
}

// "Flat": once the first rounds have warmed everything up (libtorch, JIT, allocator arenas), the last round grows the
// working set by under 10 % over the round before it (every round ends with all its sessions' images released).
bool flat = memory.Count < 4 || memory[^1] <= memory[^2] * 1.10;
Console.WriteLine($"memory {(flat ? "flat" : "GROWING")}: {string.Join(" -> ", memory.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))} MB");
Console.WriteLine(JsonSerializer.Serialize(new
{
    bench = "load", sessions, rounds, mode = asking ? "ask" : "analyze", in_order = allInOrder, memory_flat = flat,
    working_set_mb = memory, managed_mb = (await Memory()).ManagedMb, seconds = Math.Round(totalClock.Elapsed.TotalSeconds, 1),
}));
return allInOrder && flat ? 0 : 1;

async Task<int> ImagesHeld()
{
    using var response = await http.GetAsync("readyz"); // 503 only says no model is ready; the body is the same
    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return json.RootElement.GetProperty("images_held").GetInt32();
}

async Task<(bool Answering, double WorkingSetMb, double ManagedMb)> Memory()
{
    using var response = await http.GetAsync("readyz");
    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    var root = json.RootElement;
    var memory = root.GetProperty("memory_mb");
    return (root.GetProperty("answering").GetBoolean(), memory.GetProperty("working_set").GetDouble(), memory.GetProperty("managed").GetDouble());
}

string Arg(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
