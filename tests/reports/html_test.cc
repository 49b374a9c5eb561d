#include "reports/html.h"

#include <gtest/gtest.h>

namespace cdc::reports {
namespace {

TEST(ReportHtmlTest, EscapesMarkupCharacters) {
  EXPECT_EQ(html_escape("a < b && c > \"d\" 'e'"),
            "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
  EXPECT_EQ(html_escape("plain text\nline two\t."), "plain text\nline two\t.");
  EXPECT_EQ(html_escape(""), "");
}

TEST(ReportHtmlTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(html_escape("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x90\x98"),
            "caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x90\x98");
  EXPECT_EQ(html_escape(std::string("a\x80z")), "a\xEF\xBF\xBDz");  // stray continuation
  EXPECT_EQ(html_escape(std::string("a\xC3")), "a\xEF\xBF\xBD");    // truncated
  EXPECT_EQ(html_escape(std::string("\xC0\xAF")), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(html_escape(std::string("\xED\xA0\x80")),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(html_escape(std::string("a\x01"
                                    "b\x7F",
                                    4)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(html_escape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace cdc::reports
