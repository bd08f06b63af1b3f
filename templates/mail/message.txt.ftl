<#-- The plain-text body of every notification email: the same parts as message.ftlh. -->
${title}
<#if badge??>[${badge}]
</#if>
<#if intro??>

${intro}
</#if>
<#if facts?has_content>

<#list facts as f>${f[0]}: ${f[1]}
</#list>
</#if>
<#if timeline?has_content>

<#list timeline as e>- ${e[1]} (${e[0]}): ${e[2]}
</#list>
</#if>
<#list paragraphs as p>

${p}
</#list>
<#if link_url?has_content>

${link_label}: ${link_url}
</#if>

--
${footer}
<#if manage_url??>${t.manage}: ${manage_url}
${t.unsubscribe}: ${unsubscribe_url}
</#if>
${site}: ${page_url}
