using Berth.Cli.Templates;

namespace Berth.Tests.Cli.Templates;

public sealed class TabWriterTests
{
    private static string Render(string input)
    {
        var sw = new StringWriter();
        var tw = new TabWriter(sw);
        tw.Write(input);
        tw.Flush();
        return sw.ToString();
    }

    [Fact]
    public void Write_Columns_PadToWidestPlusThreeWithMinimumTen()
    {
        var output = Render("CONTAINER ID\tIMAGE\tNAMES\n4f66ad9a0b2e\tnginx:latest\tweb\n9abc\tbusybox\tdb\n");
        Assert.Equal(
            "CONTAINER ID   IMAGE          NAMES\n" +
            "4f66ad9a0b2e   nginx:latest   web\n" +
            "9abc           busybox        db\n", output);
    }

    [Fact]
    public void Write_LastCellIsNotPadded_EmptyCellsArePadded()
    {
        var output = Render("A\tB\n\tx\n");
        Assert.Equal("A         B\n          x\n", output);
    }

    [Fact]
    public void Write_LineWithoutTab_EndsTheBlock()
    {
        var output = Render("ab\tc\nplain\nabcdefghijklmn\td\n");
        Assert.Equal("ab        c\nplain\nabcdefghijklmn   d\n", output);
    }

    [Fact]
    public void DisplayWidth_CountsWideCharactersTwice()
    {
        Assert.Equal(4, TabWriter.DisplayWidth("日本"));
        Assert.Equal(3, TabWriter.DisplayWidth("abc"));
    }
}
