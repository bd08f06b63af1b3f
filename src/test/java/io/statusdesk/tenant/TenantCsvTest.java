package io.statusdesk.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantCsvTest {
  private static final Plans PLANS = Plans.standard();

  @Test
  void readsTenantsInAnyColumnOrderWithQuotedNames() {
    TenantCsv.Parsed p = TenantCsv.parse("""
        plan,id,name,members,status,cells
        earth,acme,"Acme, Inc.",12,current,kr-1;kr-2
        island,free-1,Free one,3,past_due,
        """, PLANS);
    assertThat(p.errors()).isEmpty();
    assertThat(p.tenants()).containsExactly(
        new Tenant("acme", "Acme, Inc.", "earth", 12, TenantStatus.CURRENT, List.of("kr-1", "kr-2")),
        new Tenant("free-1", "Free one", "island", 3, TenantStatus.PAST_DUE, List.of()));
    assertThat(p.tenants().get(0).feeKrw(PLANS)).isEqualTo(468_000);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "id,name,plan,members,status,cells\\nacme,Acme,mars,1,current, | line 2: plan: one of",
      "id,name,plan,members,status,cells\\nacme,Acme,earth,-1,current, | line 2: members:",
      "id,name,plan,members,status,cells\\nacme,Acme,earth,ten,current, | line 2: members:",
      "id,name,plan,members,status,cells\\nacme,Acme,earth,1,active, | line 2: status:",
      "id,name,plan,members,status,cells\\nacme,Acme,earth,1,current,KR 1 | line 2: cells:",
      "id,name,plan,members,status,cells\\nac me,Acme,earth,1,current, | line 2: id:",
      "id,name,plan,members,status,cells\\na,A,earth,1,current,\\na,A,earth,1,current, | line 3: id: 'a' appears twice",
      "id,name,plan,members,status\\na,A,earth,1,current | line 1: the header must name exactly",
      "id,name,plan,members,status,cells | line 2: no tenants",
  })
  void reportsEveryBadLineAndAcceptsNone(String text, String error) {
    TenantCsv.Parsed p = TenantCsv.parse(text.replace("\\n", "\n"), PLANS);
    assertThat(p.tenants()).isEmpty();
    assertThat(p.errors()).anySatisfy(e -> assertThat(e).startsWith(error));
  }
}
