// MSBuild inline task (RoslynCodeTaskFactory, compiled against netstandard2.0): lives outside every project folder so the SDK's
// **/*.cs glob never compiles it into a project.
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class TorchSharpGlibcxxFix : Task
{
    const string LibraryName = "libLibTorchSharp.so";
    const string NeededVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] SystemLibstdcxx =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, LibraryName, SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;

        var system = SystemLibstdcxx.FirstOrDefault(File.Exists);
        if (system is null || ContainsAscii(File.ReadAllBytes(system), NeededVersion))
        {
            Log.LogMessage(MessageImportance.Low, "libstdc++ provides " + NeededVersion + " (or none found): no TorchSharp patch needed.");
            return true;
        }

        foreach (var library in libraries)
        {
            try
            {
                var bytes = File.ReadAllBytes(library);
                switch (MarkVersionNeedWeak(bytes, NeededVersion))
                {
                    case PatchResult.Patched:
                        var temp = library + ".glibcxx-fix.tmp";
                        File.WriteAllBytes(temp, bytes);
                        File.Replace(temp, library, null); // rename(2): a new inode, so a hard link into the NuGet cache stays untouched
                        Log.LogMessage(MessageImportance.High, "Marked " + NeededVersion + " weak in " + library);
                        break;
                    case PatchResult.AlreadyWeak:
                        break;
                    case PatchResult.NotNeeded:
                        Log.LogMessage(MessageImportance.Low, library + " does not need " + NeededVersion);
                        break;
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("TorchSharp libstdc++ fix failed for " + library + ": " + e.Message);
                return false;
            }
        }

        // After a failed load TorchSharp copies (unpatched) native libraries into <bin>/cpu/; a stale copy there
        // would be loaded first, so remove it once the patched library is in place.
        var stale = Path.Combine(Directory, "cpu");
        if (System.IO.Directory.Exists(stale) && File.Exists(Path.Combine(stale, LibraryName)))
            System.IO.Directory.Delete(stale, recursive: true);
        return !Log.HasLoggedErrors;
    }

    enum PatchResult { Patched, AlreadyWeak, NotNeeded }

    static PatchResult MarkVersionNeedWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("not a little-endian ELF64 file");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = Checked(shoff + (ulong)(i * shentsize), 64, elf);
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;

            int verneed = Checked(U64(elf, sh + 0x18), 16, elf);
            uint entries = U32(elf, sh + 0x2C);
            int strtabHeader = Checked(shoff + (ulong)(U32(elf, sh + 0x28) * shentsize), 64, elf);
            int strtab = Checked(U64(elf, strtabHeader + 0x18), 1, elf);

            int vn = verneed;
            for (uint n = 0; n < entries; n++)
            {
                int aux = vn + (int)U32(elf, vn + 8);
                for (int a = 0; a < U16(elf, vn + 2); a++)
                {
                    Checked((ulong)aux, 16, elf);
                    if (CString(elf, strtab + (int)U32(elf, aux + 8)) == version)
                    {
                        ushort flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return PatchResult.AlreadyWeak;
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        return PatchResult.Patched;
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                vn += (int)U32(elf, vn + 12);
            }
        }
        return PatchResult.NotNeeded;
    }

    static int Checked(ulong offset, int length, byte[] data)
    {
        if (offset + (ulong)length > (ulong)data.Length) throw new InvalidDataException("ELF offset out of range");
        return (int)offset;
    }

    static ushort U16(byte[] b, int o) => BitConverter.ToUInt16(b, o);
    static uint U32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
    static ulong U64(byte[] b, int o) => BitConverter.ToUInt64(b, o);

    static string CString(byte[] b, int o)
    {
        int end = o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, o, end - o);
    }

    static bool ContainsAscii(byte[] haystack, string needle)
    {
        var pattern = Encoding.ASCII.GetBytes(needle + "\0");
        for (int i = 0; i + pattern.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < pattern.Length && haystack[i + j] == pattern[j]) j++;
            if (j == pattern.Length) return true;
        }
        return false;
    }
}
