// Runs EPUBCheck on several EPUB files in one Java process: EPUBCheck's schemas take seconds
// to load, and the test suite checks many books. Prints EPUBCheck's own messages, then one
// "RESULT <file> <fatals> <errors> <warnings>" line per book.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckMany {
    public static void main(String[] args) {
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            System.out.println("RESULT " + path + " " + report.getFatalErrorCount() + " "
                + report.getErrorCount() + " " + report.getWarningCount());
        }
    }
}
